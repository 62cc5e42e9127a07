#include "engine/sha256.h"

#include <doctest/doctest.h>

#include <string>

using namespace subsidy;

TEST_CASE("sha256: the known digests of FIPS 180-2") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("sha256: a stream of pieces gives the digest of their concatenation, wherever it is split") {
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += "行" + std::to_string(i * 7919) + ",";
  const std::string whole = sha256_hex(bytes);
  for (std::size_t piece : {1u, 3u, 64u, 65u, 4096u}) {
    Sha256Stream stream;
    for (std::size_t at = 0; at < bytes.size(); at += piece) stream.update(std::string_view(bytes).substr(at, piece));
    CHECK(stream.finish() == whole);
  }
  Sha256Stream nothing;
  CHECK(nothing.finish() == sha256_hex(""));
}
