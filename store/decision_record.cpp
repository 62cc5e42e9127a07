#include "store/decision_record.h"

#include "store/record_format.h"

#include <boost/json/string.hpp>

namespace subsidy::store {

namespace json = boost::json;
namespace rf = record_format;

NewRecord make_decision_record(const json::value& request, std::string_view claim_id, json::object decision,
                               std::string decided_at, std::string_view token_id) {
  NewRecord record{std::string(rf::type_decision), {}};
  json::value used = decision.contains(rf::rulesets_field) ? decision.at(rf::rulesets_field) : json::value();
  record.body[rf::decided_at_field] = std::move(decided_at);
  record.body[rf::request_field] = request;
  record.body[rf::claim_id_field] = json::string(claim_id);
  record.body[rf::decision_field] = std::move(decision);
  record.body[rf::rulesets_field] = std::move(used);
  if (!token_id.empty()) record.body[rf::token_id_field] = json::string(token_id);
  return record;
}

Status RulesetArchive::ensure_all_stored(LogStore& store) {
  if (stored_sha256_.size() == rulesets_.all().size()) return {};
  for (const auto& rs : rulesets_.all()) {
    if (stored_sha256_.contains(rs->sha256)) continue;
    auto put = store.put_ruleset(rs->id, rs->version, rs->text);
    if (!put.ok()) return put.error();
    if (put.value() != rs->sha256) {
      return store_error(StoreCode::conflict, "ruleset " + rs->id + " was stored as " + put.value() + ", not " + rs->sha256);
    }
    stored_sha256_.insert(rs->sha256);
  }
  return {};
}

Status RulesetArchive::ensure_stored(LogStore& store, const json::value& used) {
  if (!used.is_array()) return store_error(StoreCode::invalid_argument, "the decision names no rulesets array");
  for (const json::value& u : used.as_array()) {
    const json::object* o = u.if_object();
    const json::string* id = o != nullptr && o->contains("id") ? o->at("id").if_string() : nullptr;
    const json::string* sha = o != nullptr && o->contains("sha256") ? o->at("sha256").if_string() : nullptr;
    if (id == nullptr || sha == nullptr) return store_error(StoreCode::invalid_argument, "a ruleset without id or sha256");
    std::string sha256(sha->c_str(), sha->size());
    if (stored_sha256_.contains(sha256)) continue;
    const Ruleset* rs = nullptr;
    for (const auto& candidate : rulesets_.all()) {
      if (candidate->sha256 == sha256) rs = candidate.get();
    }
    if (rs == nullptr) return store_error(StoreCode::not_found, "the decision names ruleset " + sha256 + " that is not loaded");
    auto put = store.put_ruleset(rs->id, rs->version, rs->text);
    if (!put.ok()) return put.error();
    if (put.value() != sha256) {
      return store_error(StoreCode::conflict, "ruleset " + rs->id + " was stored as " + put.value() + ", not " + sha256);
    }
    stored_sha256_.insert(std::move(sha256));
  }
  return {};
}

}  // namespace subsidy::store
