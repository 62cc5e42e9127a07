#include "api/decision_view.h"

#include "audit/canonical_json.h"
#include "store/record_format.h"

#include <boost/json/parse.hpp>

namespace subsidy::api {

namespace rf = store::record_format;

store::Result<boost::json::object> decision_view(const store::StoredRecord& record) {
  if (record.type != rf::type_decision) {
    return store::store_error(store::StoreCode::invalid_argument,
                              "record " + std::to_string(record.seq) + " is a " + record.type + " record",
                              record.seq);
  }
  auto full = store::record_with_hash(record);
  if (!full.ok()) return full.error();
  boost::json::value* decision = full.value().if_contains(rf::decision_field);
  if (decision == nullptr || !decision->is_object()) {
    return store::store_error(store::StoreCode::corruption,
                              "record " + std::to_string(record.seq) + " has no decision object", record.seq);
  }
  boost::json::object out = std::move(decision->get_object());
  out[rf::decided_at_field] = record.decided_at;
  out[rf::prev_hash_field] = record.prev_hash;
  out[rf::hash_field] = record.hash;
  return out;
}

namespace {

// A string value that needs no escaping (hex, RFC 3339), quoted; false for anything else.
bool put_plain_string(std::string& out, std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e || c == '"' || c == '\\') return false;
  }
  out += '"';
  out += text;
  out += '"';
  return true;
}

}  // namespace

std::optional<DecisionViewText> decision_view_text(const store::StoredRecord& record) {
  if (record.type != rf::type_decision) return std::nullopt;
  std::vector<audit::JsonMemberText> members;
  if (!audit::is_canonical_json_fast(record.canonical, &members)) return std::nullopt;
  std::string_view decision = audit::member_text(members, rf::decision_field);
  if (!decision.starts_with('{')) return std::nullopt;
  std::vector<audit::JsonMemberText> fields;
  audit::split_canonical_object(decision, fields);
  // The members the record adds, in their sorted order; none of them is a decision's member.
  const std::pair<std::string_view, std::string_view> added[] = {
      {rf::decided_at_field, record.decided_at}, {rf::hash_field, record.hash}, {rf::prev_hash_field, record.prev_hash}};
  DecisionViewText out;
  out.text.reserve(decision.size() + 200);
  out.text += '{';
  std::size_t next_added = 0;
  auto put_name = [&](std::string_view name) {
    if (out.text.size() > 1) out.text += ',';
    out.text += '"';
    out.text += name;
    out.text += "\":";
  };
  auto put_added_before = [&](std::string_view name) {
    for (; next_added < std::size(added) && (name.empty() || added[next_added].first < name); ++next_added) {
      put_name(added[next_added].first);
      if (!put_plain_string(out.text, added[next_added].second)) return false;
    }
    return true;
  };
  for (const audit::JsonMemberText& f : fields) {
    if (!put_added_before(f.name)) return std::nullopt;
    put_name(f.name);
    out.text += f.value;
    if (f.name == "outcome" && f.value.size() >= 2) out.outcome = f.value.substr(1, f.value.size() - 2);
  }
  if (!put_added_before({})) return std::nullopt;
  out.text += '}';
  return out;
}

store::Result<boost::json::object> reply_body(const app::PipelineReply& reply) {
  if (!reply.text.empty()) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(reply.text, ec);
    if (ec || !v.is_object()) return store::store_error(store::StoreCode::corruption, "the answer's text is not an object");
    return std::move(v.get_object());
  }
  if (!reply.record) return reply.body;
  if (reply.record->type == store::record_format::type_decision) return decision_view(*reply.record);
  return store::record_with_hash(*reply.record);
}

}  // namespace subsidy::api
