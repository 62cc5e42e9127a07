#include "store/chain_check.h"

#include "audit/canonical_json.h"
#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "store/record_format.h"

#include <optional>
#include <string_view>
#include <vector>

namespace subsidy::store {
namespace rf = record_format;
namespace {

StoreError tampered(std::uint64_t seq, std::string message) {
  return store_error(StoreCode::verification_failed, "record " + std::to_string(seq) + ": " + message, seq);
}

bool member_is(const boost::json::object& o, std::string_view name, std::string_view text) {
  const boost::json::value* v = o.if_contains(name);
  return v && v->is_string() && v->get_string() == text;
}

bool seq_is(const boost::json::object& o, std::uint64_t seq) {
  const boost::json::value* v = o.if_contains(rf::seq_field);
  if (!v) return false;
  if (v->is_uint64()) return v->get_uint64() == seq;
  return v->is_int64() && v->get_int64() >= 0 && static_cast<std::uint64_t>(v->get_int64()) == seq;
}

// A string member's text equals "\"" + expected + "\"" and has no escape: then its value is
// expected. nullopt when the text has an escape (decide on the parsed value instead).
std::optional<bool> string_text_is(std::string_view text, std::string_view expected) {
  if (text.find('\\') != std::string_view::npos) return std::nullopt;
  return text.size() == expected.size() + 2 && text.front() == '"' && text.substr(1, expected.size()) == expected;
}

// check_members() without parsing: the text is shown canonical by the scanner, and its members
// are compared as text. nullopt: not decided here (check_members_exact decides).
std::optional<Status> check_members_fast(const StoredRecord& row) {
  thread_local std::vector<audit::JsonMemberText> members;
  if (row.canonical.empty() || row.canonical.front() != '{') return std::nullopt;
  if (!audit::is_canonical_json_fast(row.canonical, &members)) return std::nullopt;
  if (!audit::member_text(members, rf::hash_field).empty()) return tampered(row.seq, "the text carries a \"hash\" member");
  // A canonical integer has one text: equal text is an equal number.
  if (audit::member_text(members, rf::seq_field) != std::to_string(row.seq)) {
    return tampered(row.seq, "\"seq\" in the text differs from the row");
  }
  std::optional<bool> type = string_text_is(audit::member_text(members, rf::type_field), row.type);
  std::optional<bool> prev = string_text_is(audit::member_text(members, rf::prev_hash_field), row.prev_hash);
  std::optional<bool> at = string_text_is(audit::member_text(members, rf::decided_at_field), row.decided_at);
  if (!type || !prev || !at) return std::nullopt;
  if (!*type) return tampered(row.seq, "\"type\" in the text differs from the row");
  if (!*prev) return tampered(row.seq, "\"prev_hash\" in the text differs from the row");
  if (!*at) return tampered(row.seq, "\"decided_at\" in the text differs from the row");
  return Status{};
}

// The record's members against its columns (the chain hash covers the text, not the columns).
Status check_members(const StoredRecord& row) {
  if (std::optional<Status> fast = check_members_fast(row)) return *fast;
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(row.canonical);
  if (!parsed.ok() || !parsed.value().is_object()) {
    return store_error(StoreCode::corruption, "record " + std::to_string(row.seq) + ": text is not a JSON object",
                       row.seq);
  }
  const boost::json::object& o = parsed.value().get_object();
  audit::Result<std::string> canonical = audit::canonical_json(parsed.value());
  if (!canonical.ok() || canonical.value() != row.canonical) {
    return store_error(StoreCode::corruption, "record " + std::to_string(row.seq) + ": text is not canonical",
                       row.seq);
  }
  if (o.contains(rf::hash_field)) return tampered(row.seq, "the text carries a \"hash\" member");
  if (!seq_is(o, row.seq)) return tampered(row.seq, "\"seq\" in the text differs from the row");
  if (!member_is(o, rf::type_field, row.type)) return tampered(row.seq, "\"type\" in the text differs from the row");
  if (!member_is(o, rf::prev_hash_field, row.prev_hash)) {
    return tampered(row.seq, "\"prev_hash\" in the text differs from the row");
  }
  if (!member_is(o, rf::decided_at_field, row.decided_at)) {
    return tampered(row.seq, "\"decided_at\" in the text differs from the row");
  }
  return {};
}

}  // namespace

Status check_stored_record(audit::HashAlg alg, const StoredRecord& row, std::uint64_t expected_seq,
                           const audit::Digest& expected_prev, audit::Digest& next_prev) {
  if (row.seq != expected_seq) {
    return tampered(expected_seq, "missing (the next stored record is " + std::to_string(row.seq) + ")");
  }
  if (audit::digest_from_hex(row.prev_hash) != expected_prev) {
    return tampered(expected_seq, "prev_hash is not the hash of record " + std::to_string(expected_seq - 1));
  }
  audit::Digest hash = audit::chain_hash(alg, expected_prev, row.canonical);
  if (audit::digest_from_hex(row.hash) != hash) return tampered(expected_seq, "hash does not match the record text");
  if (Status s = check_members(row); !s.ok()) return s;
  next_prev = hash;
  return {};
}

}  // namespace subsidy::store
