#include "store/log_store.h"

#include "audit/hash_chain.h"
#include "store/migrations.h"
#include "store/record_format.h"
#include "store_fixture.h"

#include <chrono>
#include <cstdio>

using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

std::vector<std::uint64_t> append_ok(LogStore& store, const std::vector<NewRecord>& batch) {
  auto seqs = store.append(batch);
  REQUIRE_MESSAGE(seqs.ok(), seqs.error().message);
  return seqs.value();
}

// What the store must have written for batch appended to an empty log: sealed independently.
std::vector<StoredRecord> expected_records(subsidy::audit::HashAlg alg, const std::vector<NewRecord>& batch) {
  std::vector<StoredRecord> out;
  subsidy::audit::Digest prev = subsidy::audit::genesis_prev_hash;
  for (const NewRecord& r : batch) {
    auto sealed = seal_record(alg, r, out.size() + 1, prev);
    REQUIRE(sealed.ok());
    prev = *subsidy::audit::digest_from_hex(sealed.value().hash);
    out.push_back(sealed.value());
  }
  return out;
}

}  // namespace

STORE_TEST("migrations are applied once and reopening changes nothing") {
  {
    auto store = db.open();
    auto version = store->schema_version();
    REQUIRE(version.ok());
    CHECK(version.value() == schema_version_latest());
    std::string sha = put_test_ruleset(*store);
    append_ok(*store, {wft_decision(1, sha)});
  }
  for (int reopen = 0; reopen < 2; ++reopen) {
    auto store = db.open();
    CHECK(store->schema_version().value() == schema_version_latest());
    CHECK(store->head().value().seq == 1);
  }
  auto raw = db.raw();
  CHECK(count_rows(*raw, "schema_version") == static_cast<long long>(migrations().size()));
  CHECK(count_rows(*raw, "log") == 1);
}

STORE_TEST("migration 5 drops the claims' body copy: a settlement reads its claim from the initial record") {
  std::string sha;
  {
    auto store = db.open();
    sha = put_test_ruleset(*store);
    append_ok(*store, {project_decision(1, sha)});
  }
  {
    // The database as a build of schema version 4 left it: claims with a body column, records
    // stored as text.
    auto raw = db.raw();
    store_records_as_text(*raw);
    *raw << "ALTER TABLE claims ADD COLUMN body TEXT NOT NULL DEFAULT ''";
    *raw << "DROP TABLE record_dictionaries";
    *raw << "DELETE FROM schema_version WHERE version >= 5";
  }
  auto store = db.open();
  CHECK(store->schema_version().value() == schema_version_latest());
  auto raw = db.raw();
  CHECK_THROWS_AS(*raw << "SELECT body FROM claims", soci::soci_error);
  long long claims = 0;
  *raw << "SELECT COUNT(*) FROM claims WHERE claim_id = 'HB-P-1' AND seq = 1", soci::into(claims);
  CHECK(claims == 1);
  // The settlement's rows need the class from the claim: it is read from record 1's request.
  CHECK(append_ok(*store, {project_settlement(1, sha)}) == std::vector<std::uint64_t>{2});
  std::string period_start, entity;
  *raw << "SELECT period_start, entity_code FROM decision_lines WHERE seq = 2", soci::into(period_start),
      soci::into(entity);
  CHECK(period_start == "2020-05-06");  // the class dates of the claim as received
  CHECK(entity == "52411202MA44D0004E");
  // A settlement of a claim that was never decided is still refused.
  auto unknown = store->append(std::vector<NewRecord>{project_settlement(9, sha)});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == StoreCode::not_found);
}

STORE_TEST("one batch holds a claim, its settlement and a catalogue record, and every row of each is written") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  // The settlement reads its claim from the same batch's record (PostgreSQL keeps the rows until
  // the batch ends); the catalogue record's row refers to its log row, written before it.
  auto seqs = append_ok(*store, {project_decision(1, sha), catalogue_record(1), project_settlement(1, sha), wft_decision(2, sha)});
  CHECK(seqs == std::vector<std::uint64_t>{1, 2, 3, 4});
  auto raw = db.raw();
  long long claims = 0, settled_lines = 0, claim_decisions = 0, entries = 0, approvals = 0;
  *raw << "SELECT COUNT(*) FROM claims", soci::into(claims);
  *raw << "SELECT COUNT(*) FROM decision_lines WHERE seq = 3 AND period_start = '2020-05-06'", soci::into(settled_lines);
  *raw << "SELECT COUNT(*) FROM claim_decisions", soci::into(claim_decisions);
  *raw << "SELECT COUNT(*) FROM catalogue_entries WHERE seq = 2", soci::into(entries);
  *raw << "SELECT COUNT(*) FROM person_approvals WHERE seq = 4", soci::into(approvals);
  CHECK(claims == 2);
  CHECK(settled_lines > 0);
  CHECK(claim_decisions == 3);
  CHECK(entries == 1);
  CHECK(approvals > 0);
  auto verified = store->verify_chain();
  REQUIRE_MESSAGE(verified.ok(), verified.error().message);
  CHECK(verified.value().seq == 4);
}

STORE_TEST("migration 6 stores new records compressed and reads text and frames back byte for byte") {
  std::vector<StoredRecord> written;
  bool sqlite = false;
  {
    auto store = db.open();
    sqlite = store->backend() == Backend::sqlite;
    std::string sha = put_test_ruleset(*store);
    auto first = store->append_records(std::vector<NewRecord>{wft_decision(1, sha), project_decision(1, sha)});
    REQUIRE(first.ok());
    written = first.value();
  }
  {
    // The log as schema version 5 left it: records stored as their text, no dictionaries.
    auto raw = db.raw();
    store_records_as_text(*raw);
    *raw << "DROP TABLE record_dictionaries";
    *raw << "DELETE FROM schema_version WHERE version = 6";
  }
  auto store = db.open();
  CHECK(store->schema_version().value() == schema_version_latest());
  auto more = store->append_records(std::vector<NewRecord>{catalogue_record(1), project_settlement(1, put_test_ruleset(*store))});
  REQUIRE_MESSAGE(more.ok(), more.error().message);
  written.insert(written.end(), more.value().begin(), more.value().end());
  auto read = store->read(1, 10);
  REQUIRE(read.ok());
  CHECK(read.value() == written);
  CHECK(store->verify_chain().value().seq == 4);

  auto raw = db.raw();
  for (long long seq = 1; seq <= 4; ++seq) {
    std::string stored;
    *raw << "SELECT record FROM log WHERE seq = :seq", soci::into(stored), soci::use(seq);
    const std::string& canonical = written[static_cast<std::size_t>(seq - 1)].canonical;
    if (seq <= 2 || !sqlite) {
      CHECK(stored == canonical);  // before the migration, and on PostgreSQL: the text itself
    } else {
      CHECK(stored.substr(0, 4) == std::string("\x28\xb5\x2f\xfd"));  // a zstd frame
      CHECK(stored.size() * 3 < canonical.size() * 2);  // a 386-byte catalogue record: 217
    }
  }
  if (!sqlite) return;
  // A frame changed by one byte, or one naming a dictionary the log does not have, is named by
  // its seq: its bytes no longer hash to its hash.
  std::string stored;
  long long seq = 3;
  *raw << "SELECT record FROM log WHERE seq = :seq", soci::into(stored), soci::use(seq);
  std::string flipped = stored;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x01);
  std::string unknown_dictionary = stored;
  unknown_dictionary[5] = static_cast<char>(unknown_dictionary[5] ^ 0x40);  // the frame's dictionary id
  for (const std::string& forged : {flipped, unknown_dictionary}) {
    *raw << "UPDATE log SET record = CAST(:r AS BLOB) WHERE seq = :seq", soci::use(forged), soci::use(seq);
    auto verified = db.open()->verify_chain();
    REQUIRE_FALSE(verified.ok());
    CHECK(verified.error().code == StoreCode::verification_failed);
    CHECK(verified.error().seq == 3);
  }
}

STORE_TEST("an empty log has the genesis head and verifies") {
  auto store = db.open();
  LogHead genesis{0, std::string(subsidy::audit::log_format::genesis_prev_hash_hex)};
  CHECK(store->head().value() == genesis);
  CHECK(store->verify_chain().value() == genesis);
  CHECK(store->read(1, 10).value().empty());
}

STORE_TEST("append then read gives the records back byte for byte") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  std::vector<NewRecord> batch = {catalogue_record(1), wft_decision(1, sha), project_decision(1, sha),
                                  project_settlement(1, sha)};
  CHECK(append_ok(*store, batch) == std::vector<std::uint64_t>{1, 2, 3, 4});
  auto read = store->read(1, 10);
  REQUIRE_MESSAGE(read.ok(), read.error().message);
  CHECK(read.value() == expected_records(store->hash_alg(), batch));
  auto tail = store->read(3, 10);
  REQUIRE(tail.ok());
  REQUIRE(tail.value().size() == 2);
  CHECK(tail.value()[0].seq == 3);
  CHECK(store->ruleset_text(sha).value() == test_ruleset_text);
}

STORE_TEST("append_records returns the records exactly as read() gives them back") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  append_ok(*store, {catalogue_record(1)});
  std::vector<NewRecord> batch = {wft_decision(1, sha), project_decision(1, sha), project_settlement(1, sha)};
  auto written = store->append_records(batch);
  REQUIRE_MESSAGE(written.ok(), written.error().message);
  REQUIRE(written.value().size() == 3);
  CHECK(written.value().front().seq == 2);
  auto read = store->read(2, 10);
  REQUIRE(read.ok());
  CHECK(read.value() == written.value());
  // A refused batch returns the error and stores nothing.
  auto refused = store->append_records(std::vector<NewRecord>{wft_decision(1, sha)});  // claim decided before
  REQUIRE(!refused.ok());
  CHECK(refused.error().code == StoreCode::conflict);
  CHECK(store->head().value().seq == 4);
}

STORE_TEST("a record appended without its text returned is stored whole, and only its answer lacks the text") {
  auto store = db.open();
  std::vector<NewRecord> batch = {catalogue_record(1), catalogue_record(2)};
  batch[0].returned_with_text = false;
  auto written = store->append_records(batch);
  REQUIRE_MESSAGE(written.ok(), written.error().message);
  REQUIRE(written.value().size() == 2);
  CHECK(written.value()[0].canonical.empty());
  CHECK(!written.value()[1].canonical.empty());
  auto read = store->read(1, 10);
  REQUIRE(read.ok());
  REQUIRE(read.value().size() == 2);
  CHECK(!read.value()[0].canonical.empty());
  CHECK(read.value()[0].hash == written.value()[0].hash);  // what was hashed is what is stored
  CHECK(read.value()[1] == written.value()[1]);
  CHECK(store->verify_chain().value().seq == 2);
}

STORE_TEST("seq is gapless across batches and the chain verifies") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  int n = 0;
  std::uint64_t expected = 1;
  for (std::size_t size : {1, 3, 5}) {
    std::vector<NewRecord> batch;
    for (std::size_t i = 0; i < size; ++i) batch.push_back(wft_decision(++n, sha));
    for (std::uint64_t seq : append_ok(*store, batch)) CHECK(seq == expected++);
  }
  auto head = store->head();
  REQUIRE(head.ok());
  CHECK(head.value().seq == 9);
  auto verified = store->verify_chain();
  REQUIRE_MESSAGE(verified.ok(), verified.error().message);
  CHECK(verified.value() == head.value());
}

STORE_TEST("a batch decided before another writer appended is refused and nothing of it is written") {
  auto mine = db.open();
  auto other = db.open();  // a second server's connection to the same log
  std::string sha = put_test_ruleset(*mine);
  append_ok(*mine, {wft_decision(1, sha)});
  append_ok(*other, {wft_decision(2, sha), wft_decision(3, sha)});
  // Decided against the log up to seq 1: seq 2 is no longer next.
  std::vector<NewRecord> stale = {wft_decision(4, sha)};
  auto refused = mine->append_records(stale, 2);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == StoreCode::conflict);
  CHECK(refused.error().message.find("appended up to seq 3") != std::string::npos);
  CHECK(mine->head().value().seq == 3);
  auto accepted = mine->append_records(stale, 4);
  REQUIRE_MESSAGE(accepted.ok(), accepted.error().message);
  CHECK(accepted.value().front().seq == 4);
}

STORE_TEST("append_following hands over what another writer appended, then appends after it") {
  auto mine = db.open();
  auto other = db.open();
  std::string sha = put_test_ruleset(*mine);
  append_ok(*mine, {wft_decision(1, sha)});
  append_ok(*other, {wft_decision(2, sha), wft_decision(3, sha)});
  std::vector<std::uint64_t> followed;
  std::vector<NewRecord> batch = {wft_decision(4, sha), wft_decision(5, sha)};
  auto follow = [&](const StoredRecord& r) -> Status {
    followed.push_back(r.seq);
    return {};
  };
  auto decide = [&]() -> Result<std::span<const NewRecord>> {
    CHECK(followed.size() == 2);  // decided only after both were handed over
    return std::span<const NewRecord>(batch);
  };
  auto stored = mine->append_following(1, follow, decide);
  REQUIRE_MESSAGE(stored.ok(), stored.error().message);
  CHECK(followed == std::vector<std::uint64_t>{2, 3});
  REQUIRE(stored.value().size() == 2);
  CHECK(stored.value().front().seq == 4);
  CHECK(mine->verify_chain().value().seq == 5);

  // A refusal by decide (or follow) leaves the log as it was.
  auto refuse = [&]() -> Result<std::span<const NewRecord>> {
    return store_error(StoreCode::invalid_argument, "deciding failed");
  };
  std::vector<NewRecord> more = {wft_decision(6, sha)};
  followed.clear();
  auto refused = mine->append_following(5, follow, refuse);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message == "deciding failed");
  CHECK(followed.empty());
  auto failing_follow = [&](const StoredRecord&) -> Status { return store_error(StoreCode::corruption, "cannot fold"); };
  auto never = [&]() -> Result<std::span<const NewRecord>> {
    FAIL("decide must not run after follow failed");
    return std::span<const NewRecord>(more);
  };
  CHECK_FALSE(mine->append_following(4, failing_follow, never).ok());
  CHECK(mine->head().value().seq == 5);
}

STORE_TEST("the decision lines index answers a person's approved months") {
  auto store = db.open();
  std::string sha = put_test_ruleset(*store);
  append_ok(*store, {wft_decision(1, sha), project_decision(1, sha), project_settlement(1, sha)});
  auto raw = db.raw();
  std::vector<std::string> months(4);
  std::string person = "411202199001011230", program = "work_for_training", approved = "approved";
  *raw << "SELECT governing_month FROM decision_lines WHERE id_number = :p AND program = :g AND status = :s "
          "ORDER BY governing_month",
      soci::into(months), soci::use(person), soci::use(program), soci::use(approved);
  CHECK(months == std::vector<std::string>{"2020-01", "2020-02"});
  std::string trainee = "411202199207203350", entity;
  long long lines = 0;
  *raw << "SELECT COUNT(*), MIN(entity_code) FROM decision_lines WHERE id_number = :t AND period_start = '2020-05-06'",
      soci::into(lines), soci::into(entity), soci::use(trainee);
  CHECK(lines == 2);  // the class line and its settlement line, which takes the entity from the claim
  CHECK(entity == "52411202MA44D0004E");
  CHECK(count_rows(*raw, "claims") == 2);
}

STORE_TEST("1000 records appended in batches survive a reopen") {
  auto start = std::chrono::steady_clock::now();
  {
    auto store = db.open();
    std::string sha = put_test_ruleset(*store);
    for (int b = 0; b < 10; ++b) {
      std::vector<NewRecord> batch;
      for (int i = 0; i < 100; ++i) batch.push_back(wft_decision(b * 100 + i, sha));
      append_ok(*store, batch);
    }
  }
  auto store = db.open();
  auto verified = store->verify_chain();
  REQUIRE_MESSAGE(verified.ok(), verified.error().message);
  CHECK(verified.value().seq == 1000);
  std::uint64_t seen = 0;
  for (std::uint64_t from = 1; from <= 1000; from += record_format::read_records_max) {
    auto page = store->read(from, record_format::read_records_max);
    REQUIRE(page.ok());
    seen += page.value().size();
  }
  CHECK(seen == 1000);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  MESSAGE("1000 records appended, reopened and verified in " << ms << " ms");
}
