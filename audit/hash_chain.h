#pragma once
// The hash chain over log records (FORMAT.md, "Records"):
//   hash(seq) = H(prev_hash || canonical_bytes(record(seq) without "hash"))
//   prev_hash(1) = 32 zero bytes; prev_hash(seq) = hash(seq - 1).
// Changing, removing, inserting or reordering any record changes every later hash.

#include "audit/digest.h"
#include "audit/result.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace subsidy::audit {

// prev_hash of the first record.
inline constexpr Digest genesis_prev_hash{};

// H(prev_hash || canonical_bytes). REQUIRES: check_hash_alg_available(alg).ok().
Digest chain_hash(HashAlg alg, const Digest& prev_hash, std::string_view canonical_bytes);

// The RFC 8785 form of record with its "hash" member (if any) left out.
// Errors: those of canonical_json().
Result<std::string> record_canonical_bytes(const boost::json::object& record);

// chain_hash(alg, prev_hash, record_canonical_bytes(record)): the hash to store in a new record.
// Errors: those of canonical_json().
Result<Digest> compute_record_hash(HashAlg alg, const Digest& prev_hash, const boost::json::object& record);

// Checks a stored record against its predecessor's hash: its "hash" member must be the lowercase
// hex of compute_record_hash(), and a "prev_hash" member, if present, the hex of prev_hash.
// Returns the record's hash, which is the next record's prev_hash.
// Errors: corruption if "hash" is missing, "hash" or "prev_hash" is not 64 lowercase hex
// characters, or canonical_json() fails; verification_failed if either hash does not match.
Result<Digest> check_record(HashAlg alg, const Digest& prev_hash, const boost::json::object& record);

}  // namespace subsidy::audit
