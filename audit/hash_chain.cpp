#include "audit/hash_chain.h"

#include "audit/canonical_json.h"
#include "audit/log_format.h"

#include <boost/json/value.hpp>

namespace subsidy::audit {
namespace {

Error corrupt(std::string message) { return make_error(ErrorCode::corruption, std::move(message)); }

// The digest held by a string member of record; nullopt if absent, not a string or not hex.
std::optional<Digest> digest_member(const boost::json::object& record, std::string_view name) {
  const auto* member = record.if_contains(name);
  if (member == nullptr || !member->is_string()) return std::nullopt;
  const auto& text = member->get_string();
  return digest_from_hex(std::string_view(text.data(), text.size()));
}

}  // namespace

Digest chain_hash(HashAlg alg, const Digest& prev_hash, std::string_view canonical_bytes) {
  return hash(alg, {ByteSpan(prev_hash), as_bytes(canonical_bytes)});
}

Result<std::string> record_canonical_bytes(const boost::json::object& record) {
  if (!record.contains(log_format::record_hash_field)) return canonical_json(record);
  boost::json::object without_hash = record;
  without_hash.erase(log_format::record_hash_field);
  return canonical_json(without_hash);
}

Result<Digest> compute_record_hash(HashAlg alg, const Digest& prev_hash, const boost::json::object& record) {
  auto bytes = record_canonical_bytes(record);
  if (!bytes.ok()) return bytes.error();
  return chain_hash(alg, prev_hash, bytes.value());
}

Result<Digest> check_record(HashAlg alg, const Digest& prev_hash, const boost::json::object& record) {
  const auto stored = digest_member(record, log_format::record_hash_field);
  if (!stored) return corrupt("record has no \"hash\" of 64 lowercase hex characters");
  if (record.contains(log_format::record_prev_hash_field)) {
    const auto stored_prev = digest_member(record, log_format::record_prev_hash_field);
    if (!stored_prev) return corrupt("record's \"prev_hash\" is not 64 lowercase hex characters");
    if (*stored_prev != prev_hash) {
      return make_error(ErrorCode::verification_failed,
                        "record's prev_hash is not the hash of the record before it");
    }
  }
  auto computed = compute_record_hash(alg, prev_hash, record);
  if (!computed.ok()) return corrupt("record cannot be canonicalized: " + computed.error().message);
  if (computed.value() != *stored) {
    return make_error(ErrorCode::verification_failed, "record hash does not match its contents");
  }
  return computed;
}

}  // namespace subsidy::audit
