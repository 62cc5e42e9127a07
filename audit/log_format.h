#pragma once
// Constants of the audit log format. FORMAT.md beside this file is the prose specification;
// anything here that changes invalidates every stored hash and signed head.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace subsidy::audit::log_format {

// Algorithm names as they appear in signed heads and exports ("hash_alg", "sig_alg").
inline constexpr std::string_view hash_alg_sha256_name = "sha256";
inline constexpr std::string_view hash_alg_sm3_name = "sm3";
inline constexpr std::string_view sig_alg_ed25519_name = "ed25519";
inline constexpr std::string_view sig_alg_sm2_name = "sm2";

// Both SHA-256 and SM3 produce 32-byte digests, so the format does not depend on the choice.
inline constexpr std::size_t digest_bytes = 32;
inline constexpr std::size_t digest_hex_chars = 2 * digest_bytes;

// prev_hash of the record with seq 1.
inline constexpr std::string_view genesis_prev_hash_hex =
    "0000000000000000000000000000000000000000000000000000000000000000";
static_assert(genesis_prev_hash_hex.size() == digest_hex_chars);

// RFC 9162 §2.1.1 domain separation: a leaf can never be mistaken for an interior node.
inline constexpr std::uint8_t merkle_leaf_prefix = 0x00;
inline constexpr std::uint8_t merkle_node_prefix = 0x01;

// Raw public key sizes: Ed25519 (RFC 8032) and an uncompressed SM2 point (0x04 || x || y).
inline constexpr std::size_t ed25519_public_key_bytes = 32;
inline constexpr std::size_t sm2_public_key_bytes = 65;
inline constexpr std::size_t signature_bytes_max = 72;  // Ed25519: 64; SM2 DER: at most 72

// SM2 signer identity (GB/T 32918.2 "ID_A"): the default of GM/T 0009-2012, fixed so that every
// verifier computes the same Z value.
inline constexpr std::string_view sm2_distinguishing_id = "1234567812345678";

// The members of a signed head, all of them covered by the signature.
inline constexpr std::string_view head_seq_field = "seq";
inline constexpr std::string_view head_hash_field = "hash";
inline constexpr std::string_view head_merkle_root_field = "merkle_root";
inline constexpr std::string_view head_signed_at_field = "signed_at";
inline constexpr std::string_view head_hash_alg_field = "hash_alg";
inline constexpr std::string_view head_sig_alg_field = "sig_alg";

// The record member that holds the record's own hash and is left out of its canonical form.
inline constexpr std::string_view record_hash_field = "hash";
// If a record carries its predecessor's hash, it must equal the chain's actual predecessor.
inline constexpr std::string_view record_prev_hash_field = "prev_hash";

}  // namespace subsidy::audit::log_format
