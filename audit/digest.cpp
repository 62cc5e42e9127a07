#include "audit/digest.h"

#include "audit/check.h"
#include "audit/openssl_errors.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

namespace subsidy::audit {
namespace {

// Fetched once and kept for the life of the process: OpenSSL 3 otherwise looks the algorithm up
// in its provider tables on every call, which dominates the cost of hashing 64 bytes.
const EVP_MD* fetched_md(HashAlg alg) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  return alg == HashAlg::sha256 ? sha256 : sm3;
}

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// The value of each lowercase hex digit, -1 for every other byte (digests are read three times
// per record in a replay).
constexpr std::array<std::int8_t, 256> hex_values = [] {
  std::array<std::int8_t, 256> t{};
  t.fill(-1);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::int8_t>(c - 'a' + 10);
  return t;
}();

int hex_value(char c) { return hex_values[static_cast<unsigned char>(c)]; }

}  // namespace

std::string_view hash_alg_name(HashAlg alg) {
  return alg == HashAlg::sha256 ? log_format::hash_alg_sha256_name : log_format::hash_alg_sm3_name;
}

std::optional<HashAlg> parse_hash_alg(std::string_view name) {
  if (name == log_format::hash_alg_sha256_name) return HashAlg::sha256;
  if (name == log_format::hash_alg_sm3_name) return HashAlg::sm3;
  return std::nullopt;
}

Status check_hash_alg_available(HashAlg alg) {
  const EVP_MD* md = fetched_md(alg);
  if (md == nullptr || static_cast<std::size_t>(EVP_MD_get_size(md)) != log_format::digest_bytes) {
    return make_error(ErrorCode::crypto_error,
                      "OpenSSL does not provide hash algorithm " + std::string(hash_alg_name(alg)) + " (" +
                          drain_openssl_errors() + ")");
  }
  return {};
}

Digest hash(HashAlg alg, ByteSpan bytes) { return hash(alg, {bytes}); }

Digest hash(HashAlg alg, std::initializer_list<ByteSpan> parts) {
  const EVP_MD* md = fetched_md(alg);
  AUDIT_CHECK(md != nullptr);  // REQUIRES: check_hash_alg_available(alg).ok()
  // One context per thread, reinitialized for each hash: allocating one per call costs as much
  // as hashing a short record (replay hashes three times per record).
  thread_local const std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  AUDIT_CHECK(ctx != nullptr);
  AUDIT_CHECK(EVP_DigestInit_ex2(ctx.get(), md, nullptr) == 1);
  for (const ByteSpan part : parts) {
    AUDIT_CHECK(EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1);
  }
  Digest out{};
  unsigned int length = 0;
  AUDIT_CHECK(EVP_DigestFinal_ex(ctx.get(), out.data(), &length) == 1);
  AUDIT_CHECK(length == out.size());
  return out;
}

std::string to_hex(ByteSpan bytes) {
  static constexpr std::string_view digits = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (const std::uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> bytes_from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::vector<std::uint8_t> out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return out;
}

std::optional<Digest> digest_from_hex(std::string_view hex) {
  if (hex.size() != log_format::digest_hex_chars) return std::nullopt;
  Digest out{};
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int high = hex_value(hex[2 * i]);
    const int low = hex_value(hex[2 * i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out[i] = static_cast<std::uint8_t>(high * 16 + low);
  }
  return out;
}

}  // namespace subsidy::audit
