#pragma once
// What every store test stands on: a fresh, empty database per test on each backend, a raw
// session onto it for tampering, records to append, and what signed-head tests share.
//
// STORE_TEST("title") { … db … } defines one test body and registers it twice: "sqlite: title"
// on a temporary file, "postgresql: title" in a schema of its own on the server named by
// SUBSIDY_TEST_POSTGRES_URL (skipped when that is unset). Titles must not contain commas
// (doctest splits filters on them).

#include "audit/signing.h"
#include "store/clock.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/record.h"

#include <doctest/doctest.h>

#include <boost/json/object.hpp>

#include <memory>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace subsidy::store::test {

// SUBSIDY_TEST_POSTGRES_URL, or "" when unset.
const std::string& postgres_url();

// The algorithm pair every log of this run is created with and every test key has: sha256+ed25519,
// or the pair given as --algorithms=sm3+sm2 to the test executable (store_main.cpp), which CTest
// registers as a second run of the whole store and pipeline suites (tests/CMakeLists.txt).
const LogAlgorithms& test_algorithms();
void set_test_algorithms(const LogAlgorithms& algorithms);
// LogStore::open options that create a log with test_algorithms().
LogStoreOptions test_log_options();
// LogStore::open(url, test_log_options()), which must succeed.
std::unique_ptr<LogStore> open_test_log(const std::string& url);

// An empty log (created with test_algorithms()) that is removed again when the TestDb goes.
class TestDb {
 public:
  virtual ~TestDb() = default;
  // The setting to hand to LogStore::open.
  virtual const std::string& url() const = 0;
  // A plain session onto the same database (no store code in between), for tampering and counting.
  std::unique_ptr<soci::session> raw() const;
  // LogStore::open(url(), test_log_options()), which must succeed.
  std::unique_ptr<LogStore> open() const;
};

std::unique_ptr<TestDb> make_sqlite_db();
std::unique_ptr<TestDb> make_postgres_db();

// Deletes records from..to (inclusive) and every row that refers to them, as a forger with write
// access to the database would (foreign keys hold the tables to the log).
void delete_records(soci::session& sql, long long from, long long to);

// The canonical text of row seq, decoded from its stored form ("" if there is none).
std::string record_text(soci::session& sql, long long seq);
// Rewrites every record's stored form as its canonical text, as a log before migration 6 holds it.
void store_records_as_text(soci::session& sql);
// Exchanges every column but seq between two rows of the log, as a forger reordering records would.
void swap_records(soci::session& sql, long long a, long long b);

// Deletes every record after seq `after` and the rows that refer to them (a cut tail).
void delete_tail(soci::session& sql, long long after);

// Signed heads: the clock of signature i (2024-05-01T08:30:00Z + i s), a fresh key of
// test_algorithms().sig, and
// Heads::open(db.url()), which must succeed.
FixedClock clock_at(int i);
audit::SigningKey new_key();
std::unique_ptr<Heads> open_heads(TestDb& db);

// Number of rows of a table.
long long count_rows(soci::session& sql, const std::string& table);

// The text of the ruleset the test records name, and its sha256 once stored.
inline constexpr const char* test_ruleset_text = R"({"id":"hubin-test","version":"1.0.0","rules":[]})";
std::string put_test_ruleset(LogStore& store);

// An initial work_for_training decision for claim "HB-T-<n>" about two months of one person,
// approved (amounts in fen per month), decided at decided_at. Names the test ruleset.
NewRecord wft_decision(int n, const std::string& ruleset_sha256, std::int64_t month_fen = 20000,
                       const std::string& decided_at = "2024-05-01T08:30:00Z");
// A project_training class (initial) for claim "HB-P-<n>" with two trainees, and its settlement.
NewRecord project_decision(int n, const std::string& ruleset_sha256);
NewRecord project_settlement(int n, const std::string& ruleset_sha256);
// A non-decision record: the put of project "HB-PJ-<n>" (catalogue_records.h).
NewRecord catalogue_record(int n);

}  // namespace subsidy::store::test

#define STORE_TEST_CONCAT2(a, b) a##b
#define STORE_TEST_CONCAT(a, b) STORE_TEST_CONCAT2(a, b)
#define STORE_TEST_IMPL(title, body)                                                                        \
  static void body(subsidy::store::test::TestDb& db);                                                       \
  TEST_CASE("sqlite: " title) {                                                                             \
    auto db = subsidy::store::test::make_sqlite_db();                                                       \
    body(*db);                                                                                              \
  }                                                                                                         \
  TEST_CASE("postgresql: " title* doctest::skip(subsidy::store::test::postgres_url().empty())) {            \
    auto db = subsidy::store::test::make_postgres_db();                                                     \
    body(*db);                                                                                              \
  }                                                                                                         \
  static void body([[maybe_unused]] subsidy::store::test::TestDb& db)
#define STORE_TEST(title) STORE_TEST_IMPL(title, STORE_TEST_CONCAT(store_test_body_, __LINE__))
