// Tampering with the stored rows behind the store's back: verify_chain() and read() must catch
// each change and name the seq at fault.

#include "store/log_store.h"
#include "store_fixture.h"

using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

// A log of five decisions, seq 1..5.
void fill(TestDb& db) {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  std::vector<NewRecord> batch;
  for (int i = 1; i <= 5; ++i) batch.push_back(wft_decision(i, sha));
  REQUIRE(store->append(batch).ok());
}

void check_caught_at(TestDb& db, std::uint64_t seq) {
  auto store = db.open();
  auto verified = store->verify_chain();
  REQUIRE_FALSE(verified.ok());
  CHECK(verified.error().code == StoreCode::verification_failed);
  CHECK(verified.error().seq == seq);
  CHECK(verified.error().message.find("record " + std::to_string(seq)) != std::string::npos);
  auto read = store->read(1, 10);
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().seq == seq);
}

}  // namespace

STORE_TEST("a changed amount in a record is caught naming its seq") {
  fill(db);
  auto raw = db.raw();
  std::string text = record_text(*raw, 3);
  auto at = text.find("\"approved_fen\":20000");
  REQUIRE(at != std::string::npos);
  text.replace(at, 20, "\"approved_fen\":90000");
  long long seq = 3;
  *raw << "UPDATE log SET record = :text WHERE seq = :seq", soci::use(text), soci::use(seq);
  check_caught_at(db, 3);
}

STORE_TEST("a deleted record is caught naming its seq") {
  fill(db);
  delete_records(*db.raw(), 2, 2);
  check_caught_at(db, 2);
}

STORE_TEST("two swapped records are caught naming the first") {
  fill(db);
  swap_records(*db.raw(), 2, 4);
  check_caught_at(db, 2);
}

STORE_TEST("nothing is appended to a log whose last record was changed") {
  fill(db);
  auto raw = db.raw();
  std::string text = record_text(*raw, 5);
  text.replace(text.find("2024-05-01T08:30:00Z"), 20, "2024-05-01T08:31:00Z");
  long long seq = 5;
  *raw << "UPDATE log SET record = :text WHERE seq = :seq", soci::use(text), soci::use(seq);
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  auto appended = store->append(std::vector<NewRecord>{wft_decision(6, sha)});
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.error().code == StoreCode::verification_failed);
  CHECK(appended.error().seq == 5);
  CHECK(count_rows(*raw, "log") == 5);
}
