#include "store/record.h"

#include "audit/canonical_json.h"
#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "audit/rfc3339.h"
#include "store/catalogue_records.h"
#include "store/record_format.h"
#include "store/registry_records.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <array>
#include <utility>
#include <vector>

namespace subsidy::store {
namespace rf = record_format;
namespace {

StoreError invalid(std::uint64_t seq, std::string message) {
  return store_error(StoreCode::invalid_argument, std::move(message), seq);
}

const boost::json::string* string_member(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v ? v->if_string() : nullptr;
}

Status check_ruleset_refs(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::value* v = body.if_contains(rf::rulesets_field);
  if (!v || !v->is_array()) return invalid(seq, "a decision record needs a \"rulesets\" array");
  for (const boost::json::value& r : v->get_array()) {
    const boost::json::object* o = r.if_object();
    const boost::json::string* sha = o ? string_member(*o, "sha256") : nullptr;
    if (!o || !string_member(*o, "id") || !string_member(*o, "version") || !sha ||
        !audit::digest_from_hex(*sha)) {
      return invalid(seq, "each of \"rulesets\" needs \"id\", \"version\" and a hex \"sha256\"");
    }
  }
  return {};
}

Status check_decision_seq(const boost::json::object& decision, std::uint64_t seq) {
  const boost::json::value* v = decision.if_contains(rf::seq_field);
  if (!v) return {};
  if (v->is_uint64() && v->get_uint64() == seq) return {};
  if (v->is_int64() && v->get_int64() >= 0 && static_cast<std::uint64_t>(v->get_int64()) == seq) return {};
  return invalid(seq, "\"decision\".\"seq\" differs from the seq the store assigns (" + std::to_string(seq) + ")");
}

Status check_decision_body(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::value* request = body.if_contains(rf::request_field);
  if (!request || !request->is_object()) return invalid(seq, "a decision record needs a \"request\" object");
  const boost::json::string* claim_id = string_member(body, rf::claim_id_field);
  if (!claim_id || claim_id->empty() || claim_id->size() > rf::claim_id_chars_max) {
    return invalid(seq, "a decision record needs a \"claim_id\" of 1 to claim_id_chars_max characters");
  }
  const boost::json::value* decision = body.if_contains(rf::decision_field);
  if (!decision || !decision->is_object()) return invalid(seq, "a decision record needs a \"decision\" object");
  const boost::json::string* inner_id = string_member(decision->get_object(), rf::claim_id_field);
  if (inner_id && *inner_id != *claim_id) return invalid(seq, "\"decision\".\"claim_id\" differs from \"claim_id\"");
  if (Status s = check_decision_seq(decision->get_object(), seq); !s.ok()) return s;
  return check_ruleset_refs(body, seq);
}

Status check_body(const NewRecord& record, std::uint64_t seq) {
  if (std::find(rf::types.begin(), rf::types.end(), record.type) == rf::types.end()) {
    return invalid(seq, "unknown record type \"" + record.type + "\"");
  }
  for (std::string_view owned : {rf::seq_field, rf::type_field, rf::prev_hash_field, rf::hash_field}) {
    if (record.body.contains(owned)) return invalid(seq, "\"" + std::string(owned) + "\" is set by the store");
  }
  const boost::json::string* decided_at = string_member(record.body, rf::decided_at_field);
  if (!decided_at || !audit::is_rfc3339_utc(*decided_at)) {
    return invalid(seq, "a record needs \"decided_at\" in RFC 3339 UTC (2024-05-01T08:30:00Z)");
  }
  if (record.type == rf::type_decision) return check_decision_body(record.body, seq);
  if (record.type == type_registry_import) return check_registry_import_body(record.body, seq);
  return check_record_body(record.type, record.body, seq);  // catalogue and budget bodies
}

// The RFC 8785 text of body with the members the store sets (prev_hash, seq, type) added, without
// copying body (a copy of every request and decision was a seventh of the writer's time): body's
// canonical members, merged in order with those three. Their names are ASCII, and an ASCII name
// orders against any other name (its escapes included, as the canonical text spells them) by
// bytes exactly as RFC 8785 orders by UTF-16 code units. REQUIRES: body has none of the three
// (check_body()); type is a record type of record_format.h (plain ASCII).
audit::Result<std::string> sealed_text(const boost::json::object& body, std::uint64_t seq, std::string_view type,
                                       std::string_view prev_hex) {
  audit::Result<std::string> text = audit::canonical_json(body);
  if (!text.ok()) return text.error();
  std::vector<audit::JsonMemberText> members;
  audit::split_canonical_object(text.value(), members);
  const std::string seq_text = std::to_string(seq);
  const std::array<std::pair<std::string_view, std::string>, 3> owned = {{
      {rf::prev_hash_field, "\"" + std::string(prev_hex) + "\""},
      {rf::seq_field, seq_text},
      {rf::type_field, "\"" + std::string(type) + "\""},
  }};
  std::string out;
  out.reserve(text.value().size() + 128);
  out += '{';
  auto put = [&](std::string_view name, std::string_view value) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += name;
    out += "\":";
    out += value;
  };
  std::size_t next = 0;
  for (const audit::JsonMemberText& m : members) {
    for (; next < owned.size() && owned[next].first < m.name; ++next) put(owned[next].first, owned[next].second);
    put(m.name, m.value);
  }
  for (; next < owned.size(); ++next) put(owned[next].first, owned[next].second);
  out += '}';
  return out;
}

}  // namespace

Result<StoredRecord> seal_record(audit::HashAlg alg, const NewRecord& record, std::uint64_t seq,
                                 const audit::Digest& prev_hash) {
  if (Status s = check_body(record, seq); !s.ok()) return s.error();
  std::string prev_hex = audit::to_hex(prev_hash);
  audit::Result<std::string> canonical = sealed_text(record.body, seq, record.type, prev_hex);
  if (!canonical.ok()) return invalid(seq, "the record cannot be canonicalized: " + canonical.error().message);
  if (canonical.value().size() > rf::record_bytes_max) return invalid(seq, "the record is longer than record_bytes_max");
  audit::Digest hash = audit::chain_hash(alg, prev_hash, canonical.value());
  return StoredRecord{seq, record.type, std::string(*string_member(record.body, rf::decided_at_field)),
                      std::move(canonical.value()), std::move(prev_hex), audit::to_hex(hash)};
}

std::string_view request_text(std::string_view record_text) {
  std::vector<audit::JsonMemberText> members;
  if (!audit::is_canonical_json_fast(record_text, &members)) return {};
  std::string_view request = audit::member_text(members, rf::request_field);
  return request.starts_with('{') ? request : std::string_view();
}

Result<boost::json::object> record_with_hash(const StoredRecord& record) {
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(record.canonical);
  if (!parsed.ok() || !parsed.value().is_object()) {
    return store_error(StoreCode::corruption, "record text is not a JSON object", record.seq);
  }
  boost::json::object o = std::move(parsed.value().get_object());
  o[rf::hash_field] = record.hash;
  return o;
}

}  // namespace subsidy::store
