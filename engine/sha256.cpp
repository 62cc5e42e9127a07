#include "engine/sha256.h"

#include <openssl/evp.h>

#include <array>
#include <cstdlib>

namespace subsidy {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_bytes = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest.data(), &digest_bytes, EVP_sha256(), nullptr) != 1 ||
      digest_bytes * 2 != sha256_hex_chars) {
    std::abort();
  }
  constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  out.reserve(sha256_hex_chars);
  for (unsigned int i = 0; i < digest_bytes; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 0x0f];
  }
  return out;
}

}  // namespace subsidy
