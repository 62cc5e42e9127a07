#include "store/decision_recorder.h"

#include "engine/claim_parser.h"
#include "store/record_format.h"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <vector>

namespace subsidy::store {
namespace {

namespace json = boost::json;

StoreError refused(const EvalStatus& status) {
  StoreCode code = StoreCode::invalid_argument;
  if (status.code == EvalCode::conflict) code = StoreCode::conflict;
  if (status.code == EvalCode::not_found) code = StoreCode::not_found;
  std::string message = status.message;
  for (const Problem& p : status.problems) message += "; " + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message;
  return store_error(code, std::move(message));
}

}  // namespace

DecisionRecorder::DecisionRecorder(LogStore& store, Ledger& ledger, const RulesetSet& rulesets, Clock& clock)
    : store_(store), ledger_(ledger), rulesets_(rulesets), clock_(clock) {}

Status DecisionRecorder::check_in_step() {
  auto head = store_.head();
  if (!head.ok()) return head.error();
  if (head.value().seq != ledger_.last_seq()) {
    return store_error(StoreCode::conflict, "the ledger is at seq " + std::to_string(ledger_.last_seq()) +
                                                " but the log at seq " + std::to_string(head.value().seq));
  }
  return {};
}

Status DecisionRecorder::store_rulesets(const json::value& used) {
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
    auto put = store_.put_ruleset(rs->id, rs->version, rs->text);
    if (!put.ok()) return put.error();
    if (put.value() != sha256) {
      return store_error(StoreCode::conflict, "ruleset " + rs->id + " was stored as " + put.value() + ", not " + sha256);
    }
    stored_sha256_.insert(std::move(sha256));
  }
  return {};
}

Result<std::uint64_t> DecisionRecorder::append(const json::value& body, std::string_view claim_id, const LedgerEntry& entry) {
  const json::value* used = entry.decision.if_contains("rulesets");
  Status stored = store_rulesets(used != nullptr ? *used : json::value());
  if (!stored.ok()) return stored.error();
  NewRecord record{std::string(record_format::type_decision), {}};
  record.body[record_format::decided_at_field] = rfc3339_now(clock_);
  record.body[record_format::request_field] = body;
  record.body[record_format::claim_id_field] = json::string(claim_id);
  record.body[record_format::decision_field] = entry.decision;
  record.body[record_format::rulesets_field] = *used;
  auto seqs = store_.append(std::span<const NewRecord>(&record, 1));
  if (!seqs.ok()) return seqs.error();
  if (seqs.value().size() != 1 || seqs.value()[0] != entry.seq) {
    return store_error(StoreCode::conflict,
                       "the log stored the decision of seq " + std::to_string(entry.seq) + " at seq " +
                           std::to_string(seqs.value().empty() ? 0 : seqs.value()[0]),
                       entry.seq);
  }
  return entry.seq;
}

Result<std::uint64_t> DecisionRecorder::record_claim(const json::value& body) {
  if (Status s = check_in_step(); !s.ok()) return s.error();
  auto parsed = parse_claim(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) return refused({EvalCode::invalid_input, "invalid claim", *problems});
  const Claim& claim = std::get<Claim>(parsed);
  LedgerEntry entry;
  EvalStatus status = ledger_.submit(claim, entry);
  if (!status.ok()) return refused(status);
  return append(body, claim.claim_id, entry);
}

Result<std::uint64_t> DecisionRecorder::record_settlement(std::string_view claim_id, const json::value& body) {
  if (Status s = check_in_step(); !s.ok()) return s.error();
  auto parsed = parse_settlement(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) return refused({EvalCode::invalid_input, "invalid settlement", *problems});
  LedgerEntry entry;
  EvalStatus status = ledger_.settle(claim_id, std::get<SettlementRequest>(parsed), entry);
  if (!status.ok()) return refused(status);
  return append(body, claim_id, entry);
}

}  // namespace subsidy::store
