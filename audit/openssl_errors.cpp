#include "audit/openssl_errors.h"

#include <openssl/err.h>

#include <array>

namespace subsidy::audit {

std::string drain_openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    std::array<char, 256> reason{};
    ERR_error_string_n(code, reason.data(), reason.size());
    if (!text.empty()) text += "; ";
    text += reason.data();
  }
  return text.empty() ? std::string("OpenSSL gave no reason") : text;
}

}  // namespace subsidy::audit
