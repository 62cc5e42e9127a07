#include "audit/signing.h"

#include "audit/log_format.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <string>

using namespace subsidy::audit;

namespace {

SigningKey generate(SigAlg alg) {
  auto key = SigningKey::generate(alg);
  REQUIRE_MESSAGE(key.ok(), key.error().message);
  return std::move(key).value();
}

std::vector<std::uint8_t> sign(const SigningKey& key, std::string_view message) {
  auto signature = key.sign(as_bytes(message));
  REQUIRE_MESSAGE(signature.ok(), signature.error().message);
  return signature.value();
}

}  // namespace

TEST_CASE("signature algorithm names") {
  CHECK(sig_alg_name(SigAlg::ed25519) == "ed25519");
  CHECK(sig_alg_name(SigAlg::sm2) == "sm2");
  CHECK(parse_sig_alg("ed25519") == SigAlg::ed25519);
  CHECK(parse_sig_alg("sm2") == SigAlg::sm2);
  CHECK_FALSE(parse_sig_alg("Ed25519").has_value());
  CHECK_FALSE(parse_sig_alg("ecdsa").has_value());
}

TEST_CASE("RFC 8032 section 7.1, test 1: Ed25519 known answer") {
  const auto secret =
      bytes_from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").value();
  EVP_PKEY* pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, secret.data(), secret.size());
  auto key = SigningKey::adopt(SigAlg::ed25519, pkey);
  REQUIRE(key.ok());
  CHECK(to_hex(key.value().public_key().raw) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  CHECK(to_hex(sign(key.value(), "")) ==
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25b"
        "f5f0595bbe24655141438e7a100b");
  CHECK(key_id(HashAlg::sha256, key.value().public_key()) ==
        to_hex(hash(HashAlg::sha256, ByteSpan(key.value().public_key().raw))));
}

TEST_CASE("sign and verify with each algorithm") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    const SigningKey key = generate(alg);
    const SigningKey other = generate(alg);
    const std::size_t raw_bytes =
        alg == SigAlg::ed25519 ? log_format::ed25519_public_key_bytes : log_format::sm2_public_key_bytes;
    CHECK(key.alg() == alg);
    CHECK(key.public_key().alg == alg);
    CHECK(key.public_key().raw.size() == raw_bytes);
    CHECK(key.public_key() != other.public_key());
    CHECK(key_id(HashAlg::sha256, key.public_key()).size() == 64);
    CHECK(key_id(HashAlg::sha256, key.public_key()) != key_id(HashAlg::sm3, key.public_key()));

    const std::string message = R"({"seq":1})";
    const auto signature = sign(key, message);
    CHECK(signature.size() <= log_format::signature_bytes_max);
    CHECK(verify_signature(key.public_key(), as_bytes(message), signature).ok());
    CHECK(verify_signature(other.public_key(), as_bytes(message), signature).error().code ==
          ErrorCode::verification_failed);
    CHECK(verify_signature(key.public_key(), as_bytes(R"({"seq":2})"), signature).error().code ==
          ErrorCode::verification_failed);
    for (std::size_t i = 0; i < signature.size(); i += 7) {
      auto tampered = signature;
      tampered[i] ^= 0x01;
      CHECK_FALSE(verify_signature(key.public_key(), as_bytes(message), tampered).ok());
    }
    const std::vector<std::uint8_t> truncated(signature.begin(), signature.end() - 1);
    CHECK_FALSE(verify_signature(key.public_key(), as_bytes(message), truncated).ok());
    CHECK_FALSE(verify_signature(key.public_key(), as_bytes(message), {}).ok());
  }
}

TEST_CASE("a key of one algorithm does not verify as the other") {
  const SigningKey ed = generate(SigAlg::ed25519);
  const auto signature = sign(ed, "m");
  const PublicKey relabelled{SigAlg::sm2, ed.public_key().raw};
  CHECK(verify_signature(relabelled, as_bytes("m"), signature).error().code == ErrorCode::invalid_argument);
}

TEST_CASE("malformed public keys are refused") {
  const SigningKey sm2 = generate(SigAlg::sm2);
  PublicKey off_curve = sm2.public_key();
  off_curve.raw[40] ^= 0x01;  // y no longer matches x
  CHECK(verify_signature(off_curve, as_bytes("m"), sign(sm2, "m")).error().code ==
        ErrorCode::invalid_argument);
  const PublicKey short_key{SigAlg::ed25519, std::vector<std::uint8_t>(31)};
  CHECK(verify_signature(short_key, as_bytes("m"), std::vector<std::uint8_t>(64)).error().code ==
        ErrorCode::invalid_argument);
}

TEST_CASE("adopt refuses a key of the wrong algorithm") {
  EVP_PKEY* sm2 = EVP_PKEY_Q_keygen(nullptr, nullptr, "SM2");
  CHECK(SigningKey::adopt(SigAlg::ed25519, sm2).error().code == ErrorCode::invalid_argument);
  CHECK(SigningKey::adopt(SigAlg::ed25519, nullptr).error().code == ErrorCode::invalid_argument);
}
