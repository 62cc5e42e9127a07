#include "audit/hash_chain.h"

#include "audit/canonical_json.h"
#include "audit/log_format.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using namespace subsidy::audit;

namespace {

// A log of n records, each with its hash and prev_hash filled in as a writer would.
std::vector<boost::json::object> make_log(HashAlg alg, int n) {
  std::vector<boost::json::object> log;
  Digest prev = genesis_prev_hash;
  for (int seq = 1; seq <= n; ++seq) {
    boost::json::object record{
        {"seq", seq}, {"type", "decision"}, {"amount_fen", 20000 * seq}, {"prev_hash", to_hex(prev)}};
    const auto h = compute_record_hash(alg, prev, record);
    REQUIRE(h.ok());
    record["hash"] = to_hex(h.value());
    log.push_back(record);
    prev = h.value();
  }
  return log;
}

// The seq of the first record that fails check_record, or 0 if the whole log checks.
int first_failure(HashAlg alg, const std::vector<boost::json::object>& log) {
  Digest prev = genesis_prev_hash;
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto checked = check_record(alg, prev, log[i]);
    if (!checked.ok()) return static_cast<int>(i + 1);
    prev = checked.value();
  }
  return 0;
}

}  // namespace

TEST_CASE("genesis prev_hash is 32 zero bytes") {
  CHECK(to_hex(genesis_prev_hash) == log_format::genesis_prev_hash_hex);
  CHECK(digest_from_hex(log_format::genesis_prev_hash_hex) == genesis_prev_hash);
}

TEST_CASE("record hash is H(prev_hash || canonical bytes without \"hash\")") {
  const boost::json::object record{{"b", 1}, {"a", "x"}, {"hash", "ignored"}};
  const auto bytes = record_canonical_bytes(record);
  REQUIRE(bytes.ok());
  CHECK(bytes.value() == R"({"a":"x","b":1})");
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sm3}) {
    const Digest prev = hash(alg, as_bytes("previous"));
    std::string joined(prev.begin(), prev.end());
    joined += bytes.value();
    CHECK(chain_hash(alg, prev, bytes.value()) == hash(alg, as_bytes(joined)));
    CHECK(compute_record_hash(alg, prev, record).value() == hash(alg, as_bytes(joined)));
  }
  // Member order and the "hash" member do not matter; content does.
  const boost::json::object reordered{{"a", "x"}, {"b", 1}};
  CHECK(compute_record_hash(HashAlg::sha256, genesis_prev_hash, reordered).value() ==
        compute_record_hash(HashAlg::sha256, genesis_prev_hash, record).value());
}

TEST_CASE("a clean log checks from genesis, with either hash") {
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sm3}) {
    CHECK(first_failure(alg, make_log(alg, 5)) == 0);
  }
  CHECK(first_failure(HashAlg::sm3, make_log(HashAlg::sha256, 5)) == 1);
}

TEST_CASE("tampering is found at the first changed record") {
  const auto clean = make_log(HashAlg::sha256, 6);

  auto changed = clean;
  changed[2]["amount_fen"] = 20001;
  CHECK(first_failure(HashAlg::sha256, changed) == 3);

  auto deleted = clean;
  deleted.erase(deleted.begin() + 3);
  CHECK(first_failure(HashAlg::sha256, deleted) == 4);

  auto inserted = clean;
  inserted.insert(inserted.begin() + 2, clean[4]);
  CHECK(first_failure(HashAlg::sha256, inserted) == 3);

  auto swapped = clean;
  std::swap(swapped[1], swapped[2]);
  CHECK(first_failure(HashAlg::sha256, swapped) == 2);

  // Rehashing a changed record does not help: the next record's prev_hash no longer matches.
  auto rehashed = clean;
  rehashed[2]["amount_fen"] = 1;
  rehashed[2]["hash"] = to_hex(
      compute_record_hash(HashAlg::sha256, digest_from_hex(clean[1].at("hash").as_string().c_str()).value(),
                          rehashed[2])
          .value());
  CHECK(first_failure(HashAlg::sha256, rehashed) == 4);
}

TEST_CASE("malformed stored hashes are corruption, mismatches are verification failures") {
  auto log = make_log(HashAlg::sha256, 1);
  auto record = log[0];
  CHECK(check_record(HashAlg::sha256, genesis_prev_hash, record).ok());

  record.erase("hash");
  CHECK(check_record(HashAlg::sha256, genesis_prev_hash, record).error().code == ErrorCode::corruption);

  record = log[0];
  std::string upper(record.at("hash").as_string().c_str());
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  record["hash"] = upper;
  CHECK(check_record(HashAlg::sha256, genesis_prev_hash, record).error().code == ErrorCode::corruption);

  record = log[0];
  record["hash"] = 42;
  CHECK(check_record(HashAlg::sha256, genesis_prev_hash, record).error().code == ErrorCode::corruption);

  record = log[0];
  record["note"] = "\xFF";  // not UTF-8: cannot be canonicalized
  CHECK(check_record(HashAlg::sha256, genesis_prev_hash, record).error().code == ErrorCode::corruption);

  const Digest other_prev = hash(HashAlg::sha256, as_bytes("not genesis"));
  CHECK(check_record(HashAlg::sha256, other_prev, log[0]).error().code == ErrorCode::verification_failed);
}

TEST_CASE("a stored prev_hash must be the real predecessor's hash") {
  const auto log = make_log(HashAlg::sha256, 2);
  auto record = log[1];
  record["prev_hash"] = std::string(log_format::genesis_prev_hash_hex);
  const Digest prev = digest_from_hex(log[0].at("hash").as_string().c_str()).value();
  CHECK(check_record(HashAlg::sha256, prev, record).error().code == ErrorCode::verification_failed);
  record["prev_hash"] = "zz";
  CHECK(check_record(HashAlg::sha256, prev, record).error().code == ErrorCode::corruption);
}
