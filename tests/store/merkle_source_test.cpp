// The Merkle tree read from the store (store/merkle_source.h): the same roots as audit's over the
// same record hashes, read in batches, and a gap or a malformed hash named by its seq.

#include "audit/compact_merkle_tree.h"
#include "audit/merkle.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/merkle_source.h"
#include "store_fixture.h"

#include <array>
#include <vector>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

// A log of n decisions; returns their hashes in seq order.
std::vector<audit::Digest> fill(TestDb& db, int n) {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  std::vector<NewRecord> batch;
  for (int i = 1; i <= n; ++i) batch.push_back(wft_decision(i, sha));
  REQUIRE(store->append(batch).ok());
  auto records = store->read(1, static_cast<std::size_t>(n));
  REQUIRE(records.ok());
  REQUIRE(records.value().size() == static_cast<std::size_t>(n));
  std::vector<audit::Digest> hashes;
  for (const StoredRecord& r : records.value()) hashes.push_back(*audit::digest_from_hex(r.hash));
  return hashes;
}

}  // namespace

STORE_TEST("the Merkle root over the store equals audit's for sizes 1 to 70") {
  std::vector<audit::Digest> hashes = fill(db, 70);
  audit::VectorMerkleSource expected_source(hashes);
  auto raw = db.raw();
  LogMerkleSource batched(*raw, 7);  // several batches per read
  LogMerkleSource whole(*raw);
  auto heads = Heads::open(db.url());
  REQUIRE(heads.ok());
  audit::CompactMerkleTree compact(test_algorithms().hash);
  for (std::uint64_t size = 1; size <= 70; ++size) {
    CAPTURE(size);
    compact.append_entry(hashes[size - 1]);
    auto expected = audit::merkle_root(test_algorithms().hash, expected_source, size);
    REQUIRE(expected.ok());
    CHECK(compact.root() == expected.value());
    auto a = audit::merkle_root(test_algorithms().hash, batched, size);
    REQUIRE(a.ok());
    CHECK(a.value() == expected.value());
    auto b = audit::merkle_root(test_algorithms().hash, whole, size);
    REQUIRE(b.ok());
    CHECK(b.value() == expected.value());
    auto c = heads.value()->merkle_root(size);
    REQUIRE(c.ok());
    CHECK(c.value() == expected.value());
  }
  auto empty = heads.value()->merkle_root(0);
  REQUIRE(empty.ok());
  CHECK(empty.value() == audit::merkle_empty_root(test_algorithms().hash));
  CHECK_FALSE(heads.value()->merkle_root(71).ok());
}

STORE_TEST("read_entries reads any range in batches") {
  std::vector<audit::Digest> hashes = fill(db, 40);
  auto raw = db.raw();
  LogMerkleSource source(*raw, 3);
  std::vector<audit::Digest> out(17);
  REQUIRE(source.read_entries(11, out).ok());
  for (std::size_t i = 0; i < out.size(); ++i) CHECK(out[i] == hashes[11 + i]);
  CHECK_FALSE(source.last_error().has_value());
  std::vector<audit::Digest> none;
  CHECK(source.read_entries(40, none).ok());
}

STORE_TEST("reading past the head fails naming the first missing seq") {
  fill(db, 10);
  auto raw = db.raw();
  LogMerkleSource source(*raw, 4);
  std::vector<audit::Digest> out(5);
  audit::Status s = source.read_entries(8, out);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == audit::ErrorCode::verification_failed);
  REQUIRE(source.last_error().has_value());
  CHECK(source.last_error()->seq == 11);
  CHECK(source.last_error()->message.find("record 11") != std::string::npos);
}

STORE_TEST("a deleted record fails the Merkle root naming its seq") {
  fill(db, 20);
  auto raw = db.raw();
  delete_records(*raw, 13, 13);
  LogMerkleSource source(*raw, 5);
  auto root = audit::merkle_root(test_algorithms().hash, source, 20);
  REQUIRE_FALSE(root.ok());
  CHECK(root.error().code == audit::ErrorCode::verification_failed);
  REQUIRE(source.last_error().has_value());
  CHECK(source.last_error()->seq == 13);
  CHECK(source.last_error()->code == StoreCode::verification_failed);

  auto heads = Heads::open(db.url());
  REQUIRE(heads.ok());
  auto via_heads = heads.value()->merkle_root(12);
  CHECK(via_heads.ok());
  auto broken = heads.value()->merkle_root(20);
  REQUIRE_FALSE(broken.ok());
  CHECK(broken.error().seq == 13);
}

STORE_TEST("a malformed stored hash is corruption naming its seq") {
  fill(db, 6);
  auto raw = db.raw();
  *raw << "UPDATE log SET hash = 'not-a-digest' WHERE seq = 4";
  LogMerkleSource source(*raw);
  std::array<audit::Digest, 6> out{};
  audit::Status s = source.read_entries(0, out);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == audit::ErrorCode::corruption);
  REQUIRE(source.last_error().has_value());
  CHECK(source.last_error()->seq == 4);
}
