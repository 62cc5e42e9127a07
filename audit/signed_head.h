#pragma once
// A signed head vouches for the whole log up to seq: the hash-chain head, the Merkle root over
// the same records, when it was signed, and with which algorithms. The signature covers the
// RFC 8785 canonical JSON of exactly these six members, so none of them, the algorithm choice
// included, can be changed without breaking it:
//   {"hash":…,"hash_alg":…,"merkle_root":…,"seq":…,"sig_alg":…,"signed_at":…}

#include "audit/digest.h"
#include "audit/result.h"
#include "audit/signing.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace subsidy::audit {

// A published signature is base64 of at most signature_bytes_max bytes; longer text is rejected
// before decoding.
inline constexpr std::size_t signature_base64_chars_max = 128;

struct Head {
  std::uint64_t seq = 0;    // the number of records covered, which is also the Merkle tree size
  std::string hash;         // hex hash of record seq (genesis_prev_hash for seq 0)
  std::string merkle_root;  // hex MTH of the record hashes 1..seq
  std::string signed_at;    // RFC 3339 UTC, "2024-05-01T08:30:00Z"
  HashAlg hash_alg = HashAlg::sha256;
  SigAlg sig_alg = SigAlg::ed25519;
  bool operator==(const Head&) const = default;
};

// Success iff head is well-formed: hash and merkle_root are 64 lowercase hex characters,
// signed_at passes is_rfc3339_utc(), and seq is at most canonical_integer_magnitude_max.
// Errors: invalid_argument, naming the member.
Status check_head(const Head& head);

// The six members as a JSON object. REQUIRES: nothing; check_head() is what validates.
boost::json::object head_to_json(const Head& head);

// The head from a JSON object holding at least the six members with the right types and names
// (others, such as "signature", "public_key" and "key_id", are ignored).
// Errors: invalid_argument naming the missing or malformed member, or failing check_head().
Result<Head> head_from_json(const boost::json::value& json);

// The bytes that are signed: canonical_json(head_to_json(head)). Errors: those of check_head().
Result<std::string> head_signing_bytes(const Head& head);

// Base64 of key's signature over head_signing_bytes(head).
// Errors: invalid_argument if head fails check_head() or head.sig_alg is not key.alg();
// crypto_error.
Result<std::string> sign_head(const SigningKey& key, const Head& head);

// Success iff signature_base64 is public_key's signature over head_signing_bytes(head).
// Errors: invalid_argument if head fails check_head(), head.sig_alg is not public_key.alg, the
// signature is not canonical base64 of at most signature_base64_chars_max characters, or the
// public key is malformed; verification_failed if the signature does not verify.
Status verify_head(const PublicKey& public_key, const Head& head, std::string_view signature_base64);

}  // namespace subsidy::audit
