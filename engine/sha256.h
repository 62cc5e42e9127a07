#pragma once
// SHA-256 of a byte string, as the audit store and the decisions record it: 64 lowercase
// hexadecimal characters. OpenSSL's EVP interface does the hashing.

#include <cstddef>
#include <string>
#include <string_view>

namespace subsidy {

inline constexpr std::size_t sha256_hex_chars = 64;

// The hex digest of `bytes`. Never fails for inputs that fit in memory; an OpenSSL failure (which
// would mean a broken installation) aborts, since nothing sensible can be recorded without it.
std::string sha256_hex(std::string_view bytes);

// The same digest of bytes that arrive in pieces (an upload streamed into the registry reader).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view bytes);
  // The hex digest of every byte given; call once.
  std::string finish();

 private:
  void* context_;  // an EVP_MD_CTX, kept out of this header
};

}  // namespace subsidy
