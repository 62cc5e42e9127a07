#pragma once
// The log's hash function, chosen once per log: SHA-256 (FIPS 180-4) or SM3 (GB/T 32905), both
// through OpenSSL's EVP interface and both with 32-byte digests. Also the lowercase hex form in
// which digests appear in records, heads and proofs.

#include "audit/log_format.h"
#include "audit/result.h"

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::audit {

enum class HashAlg : std::uint8_t { sha256, sm3 };

using Digest = std::array<std::uint8_t, log_format::digest_bytes>;
using ByteSpan = std::span<const std::uint8_t>;

// "sha256" / "sm3".
std::string_view hash_alg_name(HashAlg alg);
// The inverse of hash_alg_name; nullopt for any other text (names are case-sensitive).
std::optional<HashAlg> parse_hash_alg(std::string_view name);

// Success if this OpenSSL build provides alg (a FIPS-only build lacks SM3). Call once when a log
// is opened; hash() below may then be used freely.
Status check_hash_alg_available(HashAlg alg);

// H(bytes), and H(part1 || part2 || ...) without copying the parts together.
// REQUIRES: check_hash_alg_available(alg).ok(). An OpenSSL failure after that (out of memory)
// aborts the process: a hash we cannot compute must never be replaced by a made-up one.
Digest hash(HashAlg alg, ByteSpan bytes);
Digest hash(HashAlg alg, std::initializer_list<ByteSpan> parts);

// The bytes of text, for hashing and signing.
inline ByteSpan as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// Lowercase hex, two characters per byte.
std::string to_hex(ByteSpan bytes);
// Exactly 64 lowercase hex characters to a digest; nullopt otherwise. Uppercase is rejected so
// that each digest has one text form.
std::optional<Digest> digest_from_hex(std::string_view hex);
// An even number of lowercase hex characters to bytes; nullopt otherwise.
std::optional<std::vector<std::uint8_t>> bytes_from_hex(std::string_view hex);

}  // namespace subsidy::audit
