#include "engine/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace subsidy {

namespace {

std::string hex_of(const unsigned char* digest, unsigned int digest_bytes) {
  if (digest_bytes * 2 != sha256_hex_chars) std::abort();
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  out.reserve(sha256_hex_chars);
  for (unsigned int i = 0; i < digest_bytes; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0f];
  }
  return out;
}

EVP_MD_CTX* context_of(void* p) { return static_cast<EVP_MD_CTX*>(p); }

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_bytes = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_bytes, EVP_sha256(), nullptr) != 1) std::abort();
  return hex_of(digest.data(), digest_bytes);
}

Sha256Stream::Sha256Stream() : context_(EVP_MD_CTX_new()) {
  if (context_ == nullptr || EVP_DigestInit_ex(context_of(context_), EVP_sha256(), nullptr) != 1) std::abort();
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(context_of(context_)); }

void Sha256Stream::update(std::string_view bytes) {
  if (EVP_DigestUpdate(context_of(context_), bytes.data(), bytes.size()) != 1) std::abort();
}

std::string Sha256Stream::finish() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_bytes = 0;
  if (EVP_DigestFinal_ex(context_of(context_), digest.data(), &digest_bytes) != 1) std::abort();
  return hex_of(digest.data(), digest_bytes);
}

}  // namespace subsidy
