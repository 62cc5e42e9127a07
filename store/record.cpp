#include "store/record.h"

#include "audit/canonical_json.h"
#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "audit/rfc3339.h"
#include "store/catalogue_records.h"
#include "store/record_format.h"
#include "store/class_filing_records.h"
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

Status check_body_object(const NewRecord& record, const boost::json::object& body, std::uint64_t seq) {
  if (std::find(rf::types.begin(), rf::types.end(), record.type) == rf::types.end()) {
    return invalid(seq, "unknown record type \"" + record.type + "\"");
  }
  for (std::string_view owned : {rf::seq_field, rf::type_field, rf::prev_hash_field, rf::hash_field}) {
    if (body.contains(owned)) return invalid(seq, "\"" + std::string(owned) + "\" is set by the store");
  }
  const boost::json::string* decided_at = string_member(body, rf::decided_at_field);
  if (!decided_at || !audit::is_rfc3339_utc(*decided_at)) {
    return invalid(seq, "a record needs \"decided_at\" in RFC 3339 UTC (2024-05-01T08:30:00Z)");
  }
  if (record.type == rf::type_decision) return check_decision_body(body, seq);
  if (record.type == type_registry_import) return check_registry_import_body(body, seq);
  if (record.type == type_class_filing) return check_class_filing_body(body, seq);
  return check_record_body(record.type, body, seq);  // catalogue and budget bodies
}

// A body given as canonical text is read back and checked like any other: what is sealed is
// exactly what was checked.
Status check_body(const NewRecord& record, std::uint64_t seq) {
  if (record.canonical_body.empty()) return check_body_object(record, record.body, seq);
  if (!record.body.empty()) return invalid(seq, "a record has either a body or its canonical text, not both");
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(record.canonical_body);
  if (!parsed.ok() || !parsed.value().is_object()) return invalid(seq, "the record's canonical text is not an object");
  if (!audit::is_canonical_json_fast(record.canonical_body)) {
    audit::Result<std::string> again = audit::canonical_json(parsed.value().get_object());
    if (!again.ok() || again.value() != record.canonical_body) return invalid(seq, "the record's text is not canonical");
  }
  return check_body_object(record, parsed.value().get_object(), seq);
}

// The record's decided_at. REQUIRES: check_body() accepted it.
std::string decided_at_of(const NewRecord& record) {
  if (record.canonical_body.empty()) return std::string(*string_member(record.body, rf::decided_at_field));
  std::vector<audit::JsonMemberText> members;
  audit::split_canonical_object(record.canonical_body, members);
  std::string_view quoted = audit::member_text(members, rf::decided_at_field);
  return std::string(quoted.substr(1, quoted.size() - 2));  // an RFC 3339 time has nothing to escape
}

// The RFC 8785 text of the record's body with the members the store sets (prev_hash, seq, type)
// added, without copying body (a copy of every request and decision was a seventh of the writer's
// time): body's canonical text, merged in order with those three. REQUIRES: body has none of the
// three (check_body()); type is a record type of record_format.h (plain ASCII).
audit::Result<std::string> sealed_text(const NewRecord& record, std::uint64_t seq, std::string_view prev_hex) {
  audit::Result<std::string> text =
      record.canonical_body.empty() ? audit::canonical_json(record.body) : audit::Result<std::string>(record.canonical_body);
  if (!text.ok()) return text.error();
  const std::string seq_text = std::to_string(seq);
  const std::string prev_text = "\"" + std::string(prev_hex) + "\"";
  const std::string type_text = "\"" + record.type + "\"";
  return audit::with_canonical_members(
      text.value(), {{rf::prev_hash_field, prev_text}, {rf::seq_field, seq_text}, {rf::type_field, type_text}});
}

}  // namespace

Result<boost::json::object> body_object(const NewRecord& record) {
  if (record.canonical_body.empty()) return record.body;
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(record.canonical_body);
  if (!parsed.ok() || !parsed.value().is_object()) {
    return store_error(StoreCode::invalid_argument, "the record's canonical text is not an object");
  }
  return std::move(parsed.value().get_object());
}

Result<StoredRecord> seal_record(audit::HashAlg alg, const NewRecord& record, std::uint64_t seq,
                                 const audit::Digest& prev_hash) {
  if (Status s = check_body(record, seq); !s.ok()) return s.error();
  std::string prev_hex = audit::to_hex(prev_hash);
  audit::Result<std::string> canonical = sealed_text(record, seq, prev_hex);
  if (!canonical.ok()) return invalid(seq, "the record cannot be canonicalized: " + canonical.error().message);
  if (canonical.value().size() > rf::record_bytes_max) return invalid(seq, "the record is longer than record_bytes_max");
  audit::Digest hash = audit::chain_hash(alg, prev_hash, canonical.value());
  return StoredRecord{seq, record.type, decided_at_of(record), std::move(canonical.value()), std::move(prev_hex),
                      audit::to_hex(hash)};
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
