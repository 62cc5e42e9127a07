#include "audit/signed_head.h"

#include "audit/base64.h"
#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "audit/log_format.h"
#include "audit/merkle.h"

#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>

#include <string>

using namespace subsidy::audit;

namespace {

Head sample_head(SigAlg sig_alg = SigAlg::ed25519, HashAlg hash_alg = HashAlg::sha256) {
  Head head;
  head.seq = 3;
  head.hash = to_hex(hash(hash_alg, as_bytes("record 3")));
  head.merkle_root = to_hex(hash(hash_alg, as_bytes("root")));
  head.signed_at = "2024-05-01T08:30:00Z";
  head.hash_alg = hash_alg;
  head.sig_alg = sig_alg;
  return head;
}

SigningKey generate(SigAlg alg) { return SigningKey::generate(alg).value(); }

}  // namespace

TEST_CASE("the signature covers the canonical JSON of exactly the six members") {
  const Head head = sample_head();
  CHECK(head_signing_bytes(head).value() ==
        "{\"hash\":\"" + head.hash + "\",\"hash_alg\":\"sha256\",\"merkle_root\":\"" + head.merkle_root +
            "\",\"seq\":3,\"sig_alg\":\"ed25519\",\"signed_at\":\"2024-05-01T08:30:00Z\"}");
  CHECK(head_to_json(head).size() == 6);
}

TEST_CASE("a signed head verifies, and fails with another key or any changed member") {
  for (const auto& [sig_alg, hash_alg] :
       {std::pair{SigAlg::ed25519, HashAlg::sha256}, std::pair{SigAlg::sm2, HashAlg::sm3}}) {
    CAPTURE(sig_alg_name(sig_alg));
    const SigningKey key = generate(sig_alg);
    const Head head = sample_head(sig_alg, hash_alg);
    const auto signature = sign_head(key, head);
    REQUIRE_MESSAGE(signature.ok(), signature.error().message);
    CHECK(verify_head(key.public_key(), head, signature.value()).ok());

    const SigningKey other = generate(sig_alg);
    CHECK(verify_head(other.public_key(), head, signature.value()).error().code ==
          ErrorCode::verification_failed);

    const auto other_digest = to_hex(hash(hash_alg, as_bytes("other")));
    std::vector<Head> changed(6, head);
    changed[0].seq = 4;
    changed[1].hash = other_digest;
    changed[2].merkle_root = other_digest;
    changed[3].signed_at = "2024-05-01T08:30:01Z";
    changed[4].hash_alg = hash_alg == HashAlg::sha256 ? HashAlg::sm3 : HashAlg::sha256;
    changed[5].sig_alg = sig_alg == SigAlg::ed25519 ? SigAlg::sm2 : SigAlg::ed25519;
    for (const Head& h : changed) CHECK_FALSE(verify_head(key.public_key(), h, signature.value()).ok());

    std::string tampered = signature.value();
    tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
    CHECK_FALSE(verify_head(key.public_key(), head, tampered).ok());
    CHECK(verify_head(key.public_key(), head, "not base64!").error().code == ErrorCode::invalid_argument);
    CHECK(
        verify_head(key.public_key(), head, std::string(signature_base64_chars_max + 4, 'A')).error().code ==
        ErrorCode::invalid_argument);
  }
}

TEST_CASE("malformed heads are neither signed nor verified") {
  const SigningKey key = generate(SigAlg::ed25519);
  const std::string good_signature = sign_head(key, sample_head()).value();
  std::vector<Head> bad(5, sample_head());
  bad[0].hash = std::string(bad[0].hash.size(), 'A');
  bad[1].merkle_root = bad[1].merkle_root.substr(2);
  bad[2].signed_at = "2024-05-01 08:30:00";
  bad[3].seq = std::uint64_t{1} << 60;
  bad[4].sig_alg = SigAlg::sm2;  // the key is Ed25519
  for (const Head& head : bad) {
    CHECK(sign_head(key, head).error().code == ErrorCode::invalid_argument);
    CHECK(verify_head(key.public_key(), head, good_signature).error().code == ErrorCode::invalid_argument);
  }
}

TEST_CASE("the head of an empty log") {
  const SigningKey key = generate(SigAlg::ed25519);
  Head head = sample_head();
  head.seq = 0;
  head.hash = std::string(log_format::genesis_prev_hash_hex);
  head.merkle_root = to_hex(merkle_empty_root(HashAlg::sha256));
  CHECK(verify_head(key.public_key(), head, sign_head(key, head).value()).ok());
}

TEST_CASE("heads read back from published JSON") {
  const SigningKey key = generate(SigAlg::ed25519);
  const Head head = sample_head();
  boost::json::object published = head_to_json(head);
  published["signature"] = sign_head(key, head).value();
  published["public_key"] = base64_encode(key.public_key().raw);
  published["key_id"] = key_id(HashAlg::sha256, key.public_key());

  const auto parsed_json = parse_exact_json(boost::json::serialize(published));
  REQUIRE(parsed_json.ok());
  const auto parsed = head_from_json(parsed_json.value());
  REQUIRE(parsed.ok());
  CHECK(parsed.value() == head);
  const auto& object = parsed_json.value().as_object();
  const PublicKey public_key{SigAlg::ed25519,
                             base64_decode(object.at("public_key").as_string().c_str()).value()};
  CHECK(verify_head(public_key, parsed.value(), object.at("signature").as_string().c_str()).ok());

  for (const char* member : {"seq", "hash", "merkle_root", "signed_at", "hash_alg", "sig_alg"}) {
    boost::json::object missing = published;
    missing.erase(member);
    const auto error = head_from_json(missing).error();
    CHECK(error.code == ErrorCode::invalid_argument);
    CHECK(error.message.find(member) != std::string::npos);
  }
  boost::json::object wrong = published;
  wrong["seq"] = -1;
  CHECK_FALSE(head_from_json(wrong).ok());
  wrong = published;
  wrong["seq"] = "3";
  CHECK_FALSE(head_from_json(wrong).ok());
  wrong = published;
  wrong["hash_alg"] = "md5";
  CHECK_FALSE(head_from_json(wrong).ok());
  wrong = published;
  wrong["sig_alg"] = "rsa";
  CHECK_FALSE(head_from_json(wrong).ok());
  CHECK_FALSE(head_from_json(boost::json::value(3)).ok());
}
