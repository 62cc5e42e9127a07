// Signed heads kept in the store and the proofs against them (store/heads.h): signatures that
// verify with the log's key only, every head kept and found by size, inclusion and consistency
// proofs that verify with audit's RFC 9162 verifiers, and a truncated log caught against the
// last signed head.

#include "audit/key_file.h"
#include "audit/merkle.h"
#include "audit/signed_head.h"
#include "audit/signing.h"
#include "store/clock.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store_fixture.h"

#include <chrono>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

// The run's hash algorithm (store_fixture.h: test_algorithms()), SHA-256 unless --algorithms says otherwise.
audit::HashAlg log_hash() { return test_algorithms().hash; }

// Appends decisions first..last (claim numbers), one batch.
void append(LogStore& store, const std::string& sha, int first, int last) {
  std::vector<NewRecord> batch;
  for (int i = first; i <= last; ++i) batch.push_back(wft_decision(i, sha));
  REQUIRE(store.append(batch).ok());
}

audit::Digest digest(const std::string& hex) {
  auto d = audit::digest_from_hex(hex);
  REQUIRE(d.has_value());
  return *d;
}

std::vector<audit::Digest> digests(const std::vector<std::string>& hex) {
  std::vector<audit::Digest> out;
  for (const std::string& h : hex) out.push_back(digest(h));
  return out;
}

}  // namespace

STORE_TEST("a signed head verifies with its public key and key_id and fails with another key") {
  auto store = db.open();
  append(*store, put_test_ruleset(*store), 1, 5);
  auto heads = open_heads(db);
  // The key as production keeps it: a PKCS#8 file created on first use.
  std::string dir = std::filesystem::temp_directory_path().string() + "/heads-key-" + std::to_string(::getpid()) +
                    "-" + std::string(backend_name(store->backend()));
  std::filesystem::create_directories(dir);
  auto key = audit::load_or_create_key_file(dir + "/log.key", test_algorithms().sig);
  REQUIRE(key.ok());
  auto signed_head = heads->sign(key.value(), clock_at(0));
  REQUIRE(signed_head.ok());
  const SignedHead& h = signed_head.value();
  CHECK(h.head.seq == 5);
  CHECK(h.head.hash == store->head().value().hash);
  CHECK(h.head.signed_at == "2024-05-01T08:30:00Z");
  CHECK(h.head.hash_alg == log_hash());
  CHECK(h.head.sig_alg == test_algorithms().sig);
  CHECK(h.key_id == audit::key_id(log_hash(), key.value().public_key()));
  CHECK(h.head.merkle_root == audit::to_hex(heads->merkle_root(5).value()));
  CHECK(verify_signed_head(h, key.value().public_key()).ok());
  CHECK(audit::verify_head(key.value().public_key(), h.head, h.signature).ok());
  // Reloaded from the file: the same key.
  auto again = audit::load_key_file(dir + "/log.key", test_algorithms().sig);
  REQUIRE(again.ok());
  CHECK(verify_signed_head(h, again.value().public_key()).ok());
  std::filesystem::remove_all(dir);

  audit::SigningKey other = new_key();
  Status wrong = verify_signed_head(h, other.public_key());
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == StoreCode::verification_failed);
  CHECK_FALSE(audit::verify_head(other.public_key(), h.head, h.signature).ok());
  // A head signed by another key but naming the log's key does not verify either.
  SignedHead forged = h;
  forged.signature = audit::sign_head(other, h.head).value();
  CHECK_FALSE(verify_signed_head(forged, key.value().public_key()).ok());
  // Nor does a changed member.
  SignedHead changed = h;
  changed.head.seq = 4;
  CHECK_FALSE(verify_signed_head(changed, key.value().public_key()).ok());

  // The stored head is the one returned.
  auto latest = heads->latest();
  REQUIRE(latest.ok());
  CHECK(latest.value() == h);
}

STORE_TEST("every signed head is kept and found by its size") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  CHECK(heads->latest().error().code == StoreCode::not_found);
  auto empty = heads->sign(key, clock_at(0));
  REQUIRE(empty.ok());
  CHECK(empty.value().head.seq == 0);
  CHECK(empty.value().head.merkle_root == audit::to_hex(audit::merkle_empty_root(log_hash())));
  CHECK(verify_signed_head(empty.value(), key.public_key()).ok());

  std::vector<SignedHead> signed_heads{empty.value()};
  int claim = 1;
  int t = 1;
  for (int size : {1, 3, 8, 9, 20}) {
    append(*store, sha, claim, size);
    claim = size + 1;
    auto h = heads->sign(key, clock_at(t++));
    REQUIRE(h.ok());
    CHECK(h.value().head.seq == static_cast<std::uint64_t>(size));
    signed_heads.push_back(h.value());
  }
  // The same size signed again later is kept beside the first; at_size gives the later one.
  auto resigned = heads->sign(key, clock_at(t++));
  REQUIRE(resigned.ok());
  signed_heads.push_back(resigned.value());
  // The same size at the same second is refused.
  auto duplicate = heads->sign(key, clock_at(t - 1));
  REQUIRE_FALSE(duplicate.ok());
  CHECK(duplicate.error().code == StoreCode::conflict);

  auto all = heads->all();
  REQUIRE(all.ok());
  CHECK(all.value() == signed_heads);
  CHECK(count_rows(*db.raw(), "signed_heads") == 7);
  for (const SignedHead& h : signed_heads) {
    auto found = heads->at_size(h.head.seq);
    REQUIRE(found.ok());
    CHECK(found.value().head.seq == h.head.seq);
    CHECK(verify_signed_head(found.value(), key.public_key()).ok());
    CHECK(heads->check_against_head(found.value()).ok());
  }
  CHECK(heads->at_size(3).value() == signed_heads[2]);
  CHECK(heads->at_size(20).value() == resigned.value());
  CHECK(heads->latest().value() == resigned.value());
  CHECK(heads->at_size(4).error().code == StoreCode::not_found);

  // A second Heads on the same database (a restart) sees them all.
  auto reopened = open_heads(db);
  CHECK(reopened->all().value() == signed_heads);
}

// sign() extends the tree of its previous head rather than reading the whole log again: its roots
// must be those computed from all the records, across batch boundaries and after a restart.
STORE_TEST("each signed head's root is the root over all its records, however the log grew between signs") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  int claim = 1;
  int t = 1;
  for (int size : {1, 2, 1023, 1024, 1025, 2050, 2051}) {
    append(*store, sha, claim, size);
    claim = size + 1;
    auto h = heads->sign(key, clock_at(t++));
    REQUIRE(h.ok());
    REQUIRE(h.value().head.seq == static_cast<std::uint64_t>(size));
    CHECK(h.value().head.merkle_root == audit::to_hex(heads->merkle_root(static_cast<std::uint64_t>(size)).value()));
  }
  append(*store, sha, claim, 3000);
  auto restarted = open_heads(db);
  auto h = restarted->sign(key, clock_at(t++));
  REQUIRE(h.ok());
  CHECK(h.value().head.merkle_root == audit::to_hex(restarted->merkle_root(3000).value()));
  CHECK(restarted->check_against_head(h.value()).ok());
}

STORE_TEST("inclusion proofs verify for every seq of a 70-record log and fail for a tampered leaf") {
  auto store = db.open();
  append(*store, put_test_ruleset(*store), 1, 70);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  auto head = heads->sign(key, clock_at(0));
  REQUIRE(head.ok());
  audit::Digest root = digest(head.value().head.merkle_root);
  auto records = store->read(1, 70);
  REQUIRE(records.ok());
  for (std::uint64_t seq = 1; seq <= 70; ++seq) {
    CAPTURE(seq);
    auto proof = heads->inclusion_proof(seq);
    REQUIRE(proof.ok());
    CHECK(proof.value().seq == seq);
    CHECK(proof.value().tree_size == 70);
    audit::Digest leaf = digest(proof.value().leaf_hash);
    CHECK(leaf == audit::merkle_leaf_hash(log_hash(), digest(records.value()[seq - 1].hash)));
    std::vector<audit::Digest> path = digests(proof.value().path);
    CHECK(audit::verify_inclusion(log_hash(), leaf, seq - 1, 70, path, root).ok());
    // A tampered leaf, a wrong index or a changed path element does not verify.
    audit::Digest tampered = leaf;
    tampered[0] ^= 1;
    CHECK_FALSE(audit::verify_inclusion(log_hash(), tampered, seq - 1, 70, path, root).ok());
    CHECK_FALSE(audit::verify_inclusion(log_hash(), audit::merkle_leaf_hash(log_hash(), tampered), seq - 1, 70, path, root)
                    .ok());
    CHECK_FALSE(audit::verify_inclusion(log_hash(), leaf, seq % 70, 70, path, root).ok());
    if (!path.empty()) {
      path.back()[5] ^= 0x80;
      CHECK_FALSE(audit::verify_inclusion(log_hash(), leaf, seq - 1, 70, path, root).ok());
    }
  }
  CHECK(heads->inclusion_proof(0).error().code == StoreCode::invalid_argument);
  CHECK(heads->inclusion_proof(71).error().code == StoreCode::invalid_argument);
  CHECK(heads->inclusion_proof(1, 69).error().code == StoreCode::not_found);  // no head of 69
}

STORE_TEST("inclusion proofs against an older head verify against that head") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  append(*store, sha, 1, 11);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  auto old_head = heads->sign(key, clock_at(0));
  REQUIRE(old_head.ok());
  append(*store, sha, 12, 30);
  REQUIRE(heads->sign(key, clock_at(1)).ok());
  audit::Digest old_root = digest(old_head.value().head.merkle_root);
  for (std::uint64_t seq = 1; seq <= 11; ++seq) {
    auto proof = heads->inclusion_proof(seq, 11);
    REQUIRE(proof.ok());
    CHECK(audit::verify_inclusion(log_hash(), digest(proof.value().leaf_hash), seq - 1, 11, digests(proof.value().path),
                                  old_root)
              .ok());
  }
}

STORE_TEST("consistency proofs between every pair of stored heads verify") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  int claim = 1;
  int t = 0;
  for (int size : {1, 2, 3, 4, 7, 8, 13, 16, 17, 32, 45, 64, 70}) {
    append(*store, sha, claim, size);
    claim = size + 1;
    REQUIRE(heads->sign(key, clock_at(t++)).ok());
  }
  auto all = heads->all();
  REQUIRE(all.ok());
  REQUIRE(all.value().size() == 13);
  for (const SignedHead& from : all.value()) {
    for (const SignedHead& to : all.value()) {
      if (from.head.seq > to.head.seq) continue;
      CAPTURE(from.head.seq);
      CAPTURE(to.head.seq);
      auto proof = heads->consistency_proof(from.head.seq, to.head.seq);
      REQUIRE(proof.ok());
      CHECK(proof.value().from_size == from.head.seq);
      CHECK(proof.value().to_size == to.head.seq);
      std::vector<audit::Digest> path = digests(proof.value().path);
      audit::Digest from_root = digest(from.head.merkle_root);
      audit::Digest to_root = digest(to.head.merkle_root);
      CHECK(audit::verify_consistency(log_hash(), from.head.seq, to.head.seq, from_root, to_root, path).ok());
      if (from.head.seq < to.head.seq) {
        // A later head that does not extend the earlier one fails.
        audit::Digest forged = to_root;
        forged[31] ^= 1;
        CHECK_FALSE(audit::verify_consistency(log_hash(), from.head.seq, to.head.seq, from_root, forged, path).ok());
      }
    }
  }
  CHECK(heads->consistency_proof(0, 3).error().code == StoreCode::invalid_argument);
  CHECK(heads->consistency_proof(8, 7).error().code == StoreCode::invalid_argument);
  CHECK(heads->consistency_proof(5, 70).error().code == StoreCode::not_found);
}

STORE_TEST("a truncated log no longer matches the last signed head naming the missing seq") {
  auto store = db.open();
  append(*store, put_test_ruleset(*store), 1, 70);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  auto head = heads->sign(key, clock_at(0));
  REQUIRE(head.ok());
  REQUIRE(heads->check_against_head(head.value()).ok());

  delete_tail(*db.raw(), 66);
  // The shorter chain is still a valid chain on its own: only the signed head shows the loss.
  CHECK(store->verify_chain().ok());
  Status s = heads->check_against_head(heads->latest().value());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == StoreCode::verification_failed);
  CHECK(s.error().seq == 67);
  CHECK(s.error().message.find("record 67: missing") != std::string::npos);
  // Proofs against that head can no longer be made.
  CHECK_FALSE(heads->inclusion_proof(1).ok());
}

STORE_TEST("a log changed below the signed head no longer matches it") {
  auto store = db.open();
  append(*store, put_test_ruleset(*store), 1, 20);
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  auto head = heads->sign(key, clock_at(0));
  REQUIRE(head.ok());
  auto raw = db.raw();
  // A record deleted in the middle.
  long long seq = 9;
  delete_records(*raw, seq, seq);
  Status s = heads->check_against_head(head.value());
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == StoreCode::verification_failed);
  CHECK(s.error().seq == 9);

  // A head whose root does not match the records.
  SignedHead other = head.value();
  other.head.merkle_root = std::string(64, 'a');
  CHECK_FALSE(heads->check_against_head(other).ok());
}
