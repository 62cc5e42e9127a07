#include "audit/digest.h"

#include <doctest/doctest.h>

#include <string>

using namespace subsidy::audit;

TEST_CASE("SHA-256 and SM3 known answers") {
  REQUIRE(check_hash_alg_available(HashAlg::sha256).ok());
  REQUIRE(check_hash_alg_available(HashAlg::sm3).ok());
  // FIPS 180-4 and GB/T 32905-2016 appendix A, example 1.
  CHECK(to_hex(hash(HashAlg::sha256, as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(hash(HashAlg::sm3, as_bytes("abc"))) ==
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
  CHECK(to_hex(hash(HashAlg::sha256, as_bytes(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // GB/T 32905-2016 appendix A, example 2: "abcd" repeated 16 times.
  std::string abcd;
  for (int i = 0; i < 16; ++i) abcd += "abcd";
  CHECK(to_hex(hash(HashAlg::sm3, as_bytes(abcd))) ==
        "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732");
}

TEST_CASE("hashing parts equals hashing their concatenation") {
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sm3}) {
    CHECK(hash(alg, {as_bytes("ab"), as_bytes(""), as_bytes("c")}) == hash(alg, as_bytes("abc")));
  }
  CHECK(hash(HashAlg::sha256, as_bytes("abc")) != hash(HashAlg::sm3, as_bytes("abc")));
}

TEST_CASE("hash algorithm names") {
  CHECK(hash_alg_name(HashAlg::sha256) == "sha256");
  CHECK(hash_alg_name(HashAlg::sm3) == "sm3");
  CHECK(parse_hash_alg("sha256") == HashAlg::sha256);
  CHECK(parse_hash_alg("sm3") == HashAlg::sm3);
  CHECK_FALSE(parse_hash_alg("SHA256").has_value());
  CHECK_FALSE(parse_hash_alg("sha-256").has_value());
  CHECK_FALSE(parse_hash_alg("").has_value());
}

TEST_CASE("hex has one form per digest") {
  const Digest d = hash(HashAlg::sha256, as_bytes("x"));
  const std::string hex = to_hex(d);
  CHECK(hex.size() == 64);
  CHECK(digest_from_hex(hex) == d);
  CHECK(to_hex(ByteSpan()) == "");
  CHECK(bytes_from_hex("00ff10") == std::vector<std::uint8_t>{0x00, 0xff, 0x10});
  CHECK(bytes_from_hex("")->empty());
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (upper != hex) CHECK_FALSE(digest_from_hex(upper).has_value());
  CHECK_FALSE(digest_from_hex(hex.substr(1)).has_value());
  CHECK_FALSE(digest_from_hex(hex + "00").has_value());
  CHECK_FALSE(digest_from_hex(std::string(63, '0') + "g").has_value());
  CHECK_FALSE(bytes_from_hex("abc").has_value());
  CHECK_FALSE(bytes_from_hex(" a").has_value());
}
