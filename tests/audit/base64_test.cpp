#include "audit/base64.h"

#include "audit/digest.h"

#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

using namespace subsidy::audit;

namespace {
std::vector<std::uint8_t> bytes_of(std::string_view text) {
  const auto span = as_bytes(text);
  return {span.begin(), span.end()};
}
}  // namespace

TEST_CASE("RFC 4648 section 10 test vectors") {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    CAPTURE(plain);
    CHECK(base64_encode(as_bytes(plain)) == encoded);
    CHECK(base64_decode(encoded) == bytes_of(plain));
  }
}

TEST_CASE("every length round-trips") {
  std::mt19937 random(7);
  for (std::size_t length = 0; length < 100; ++length) {
    std::vector<std::uint8_t> bytes(length);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(random());
    CHECK(base64_decode(base64_encode(bytes)) == bytes);
  }
}

TEST_CASE("only canonical base64 decodes") {
  const char* rejected[] = {
      "Zg=",       // not a multiple of four
      "Zg",        // unpadded
      "Z===",      // too much padding
      "Zh==",      // nonzero bits under the padding
      "Zm9=",      // nonzero bits under the padding
      "Zm=v",      // padding inside
      "Zg==Zg==",  // padding before the end
      "Zm9v\n",    // whitespace
      " Zm9v",     // whitespace
      "Zm9-",      // URL-safe alphabet
      "Zm9_",      // URL-safe alphabet
  };
  for (const char* text : rejected) {
    CAPTURE(text);
    CHECK_FALSE(base64_decode(text).has_value());
  }
}
