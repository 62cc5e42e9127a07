// A batch that fails anywhere leaves every table as it was, and the next batch continues the seq.

#include "store/catalogue_records.h"
#include "store/log_store.h"
#include "store_fixture.h"

using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

// The rows of every table append() writes, the migration-2 projections included.
using Counts = std::vector<long long>;

Counts counts(TestDb& db) {
  auto raw = db.raw();
  Counts out;
  for (const char* table : {"log", "claims", "decision_lines", "person_approvals", "claim_decisions",
                            "catalogue_entries", "budgets"}) {
    out.push_back(count_rows(*raw, table));
  }
  return out;
}

void check_refused(TestDb& db, const std::vector<NewRecord>& batch, StoreCode code, std::uint64_t seq) {
  auto store = db.open();
  Counts before = counts(db);
  LogHead head = store->head().value();
  auto appended = store->append(batch);
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.error().code == code);
  CHECK(appended.error().seq == seq);
  CHECK(counts(db) == before);
  CHECK(store->head().value() == head);
  auto next = store->append(std::vector<NewRecord>{catalogue_record(99)});
  REQUIRE(next.ok());
  CHECK(next.value().front() == head.seq + 1);
}

}  // namespace

STORE_TEST("a batch with a duplicate claim_id writes nothing") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  REQUIRE(store->append(std::vector<NewRecord>{wft_decision(1, sha)}).ok());
  check_refused(db, {wft_decision(2, sha), wft_decision(3, sha), wft_decision(2, sha)}, StoreCode::conflict, 4);
  check_refused(db, {wft_decision(4, sha), wft_decision(1, sha)}, StoreCode::conflict, 4);
}

STORE_TEST("a batch that fails after records of every kind writes none of their rows") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  NewRecord budget = budget_record(subsidy::Program::work_for_training, 2024, subsidy::Fen(100), "t", "2024-05-01T00:00:00Z");
  std::vector<NewRecord> batch = {wft_decision(1, sha), catalogue_record(1), budget};
  REQUIRE(store->append(batch).ok());
  Counts written = counts(db);
  for (std::size_t t = 0; t < written.size(); ++t) CHECK_MESSAGE(written[t] > 0, "table " << t);
  batch = {wft_decision(2, sha), catalogue_record(2), budget, wft_decision(1, sha)};
  check_refused(db, batch, StoreCode::conflict, 7);
}

STORE_TEST("a batch with a malformed record writes nothing") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  NewRecord no_time = wft_decision(2, sha);
  no_time.body.erase("decided_at");
  check_refused(db, {wft_decision(1, sha), no_time}, StoreCode::invalid_argument, 2);
  NewRecord owned = catalogue_record(1);
  owned.body["hash"] = "00";
  check_refused(db, {wft_decision(3, sha), owned}, StoreCode::invalid_argument, 3);
  check_refused(db, {wft_decision(4, sha), NewRecord{"gossip", catalogue_record(2).body}}, StoreCode::invalid_argument, 4);
}

STORE_TEST("a decision naming an unstored ruleset or an unknown claim writes nothing") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  std::string other(64, 'a');
  check_refused(db, {wft_decision(1, sha), wft_decision(2, other)}, StoreCode::not_found, 2);
  check_refused(db, {wft_decision(3, sha), project_settlement(7, sha)}, StoreCode::not_found, 3);
}
