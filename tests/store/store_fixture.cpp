#include "store_fixture.h"

#include "engine/calendar.h"
#include "store/catalogue_records.h"
#include "store/connection.h"
#include "store/record_codec.h"

#include <boost/json/array.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <unistd.h>

namespace subsidy::store::test {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

class SqliteDb final : public TestDb {
 public:
  SqliteDb() {
    std::string pattern = (fs::temp_directory_path() / "subsidy-store-test-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir_ = pattern;
    url_ = "sqlite://" + (dir_ / "log.db").string();
  }
  ~SqliteDb() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  const std::string& url() const override { return url_; }

 private:
  fs::path dir_;
  std::string url_;
};

// A schema of its own per test, so that tests may run in parallel against one server.
class PostgresDb final : public TestDb {
 public:
  PostgresDb() {
    static std::atomic<int> counter{0};
    schema_ = "store_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    admin_ = open_raw(postgres_url());
    *admin_ << "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE";
    *admin_ << "CREATE SCHEMA " + schema_;
    char separator = postgres_url().find('?') == std::string::npos ? '?' : '&';
    url_ = postgres_url() + separator + "options=-csearch_path%3D" + schema_;
  }
  ~PostgresDb() override {
    try {
      *admin_ << "DROP SCHEMA IF EXISTS " + schema_ + " CASCADE";
    } catch (...) {
      // A leftover schema is harmless; the next run of the same pid drops it.
    }
  }
  const std::string& url() const override { return url_; }

  static std::unique_ptr<soci::session> open_raw(const std::string& url) {
    auto setting = parse_connection_url(url);
    REQUIRE(setting.ok());
    auto sql = open_session(setting.value());
    REQUIRE_MESSAGE(sql.ok(), sql.error().message);
    return std::move(sql.value());
  }

 private:
  std::string schema_;
  std::string url_;
  std::unique_ptr<soci::session> admin_;
};

json::array rulesets_json(const std::string& sha) {
  return json::array{json::object{{"id", "hubin-test"}, {"version", "1.0.0"}, {"sha256", sha}}};
}

json::object entity_json(std::string_view credit_code, std::string_view type) {
  return json::object{{"credit_code", credit_code}, {"name", "湖滨区甲食品有限公司"}, {"type", type}};
}

json::object line_json(std::string_view subject, std::int64_t fen) {
  return json::object{{"subject", subject},     {"status", fen > 0 ? "approved" : "rejected"},
                      {"requested_fen", 20000}, {"approved_fen", fen},
                      {"rules", json::array{"wft.rate"}}};
}

NewRecord decision_record(const std::string& claim_id, json::object request, json::object decision,
                          const std::string& sha, const std::string& decided_at) {
  decision["claim_id"] = claim_id;
  decision["rulesets"] = rulesets_json(sha);
  json::object body{{"decided_at", decided_at}, {"request", std::move(request)}, {"claim_id", claim_id},
                    {"decision", std::move(decision)}, {"rulesets", rulesets_json(sha)}};
  return NewRecord{"decision", std::move(body)};
}

}  // namespace

const std::string& postgres_url() {
  static const std::string url = [] {
    const char* v = std::getenv("SUBSIDY_TEST_POSTGRES_URL");
    return std::string(v ? v : "");
  }();
  return url;
}

std::unique_ptr<soci::session> TestDb::raw() const { return PostgresDb::open_raw(url()); }

namespace {
LogAlgorithms chosen_algorithms;
}  // namespace

const LogAlgorithms& test_algorithms() { return chosen_algorithms; }
void set_test_algorithms(const LogAlgorithms& algorithms) { chosen_algorithms = algorithms; }
LogStoreOptions test_log_options() { return LogStoreOptions{chosen_algorithms.hash, chosen_algorithms.sig}; }

std::unique_ptr<LogStore> open_test_log(const std::string& url) {
  auto store = LogStore::open(url, test_log_options());
  REQUIRE_MESSAGE(store.ok(), store.error().message);
  REQUIRE(store.value()->algorithms() == chosen_algorithms);
  return std::move(store.value());
}

std::unique_ptr<LogStore> TestDb::open() const { return open_test_log(url()); }

// Each database is created as a log of the run's algorithms at once, so that code under test
// which opens it with the default options finds the pair already stored.
std::unique_ptr<TestDb> make_sqlite_db() {
  auto db = std::make_unique<SqliteDb>();
  db->open();
  return db;
}
std::unique_ptr<TestDb> make_postgres_db() {
  auto db = std::make_unique<PostgresDb>();
  db->open();
  return db;
}

long long count_rows(soci::session& sql, const std::string& table) {
  long long n = -1;
  sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
  return n;
}

std::string put_test_ruleset(LogStore& store) {
  auto sha = store.put_ruleset("hubin-test", "1.0.0", test_ruleset_text);
  REQUIRE_MESSAGE(sha.ok(), sha.error().message);
  return sha.value();
}

NewRecord wft_decision(int n, const std::string& sha, std::int64_t month_fen, const std::string& decided_at) {
  std::string claim_id = "HB-T-" + std::to_string(n);
  json::object request{{"claim_id", claim_id},
                       {"program", "work_for_training"},
                       {"submitted_on", "2020-07-15"},
                       {"entity", entity_json("91411202MA44A0001W", "enterprise")},
                       {"person", json::object{{"id_number", "411202199001011230"}, {"name", "张三"}}},
                       {"months", json::array{"2020-01", "2020-02"}}};
  json::object decision{{"program", "work_for_training"},  {"kind", "initial"},
                        {"outcome", "approved"},           {"approved_fen", 2 * month_fen},
                        {"lines", json::array{line_json("2020-01", month_fen), line_json("2020-02", month_fen)}}};
  return decision_record(claim_id, std::move(request), std::move(decision), sha, decided_at);
}

NewRecord project_decision(int n, const std::string& sha) {
  std::string claim_id = "HB-P-" + std::to_string(n);
  json::object request{{"claim_id", claim_id},
                       {"program", "project_training"},
                       {"entity", entity_json("52411202MA44D0004E", "training_institution")},
                       {"project", json::object{{"code", "HB-PJ-CARE-01"}, {"start", "2020-05-06"}, {"end", "2020-06-05"}}}};
  json::object decision{{"program", "project_training"},
                        {"kind", "initial"},
                        {"lines", json::array{line_json("411202199207203350", 150001), line_json("411202198811114464", 0)}}};
  return decision_record(claim_id, std::move(request), std::move(decision), sha, "2024-05-02T09:00:00Z");
}

NewRecord project_settlement(int n, const std::string& sha) {
  std::string claim_id = "HB-P-" + std::to_string(n);
  json::object request{{"settled_on", "2020-06-30"},
                       {"results", json::array{json::object{{"id_number", "411202199207203350"}, {"passed", true}}}}};
  json::object decision{{"program", "project_training"},
                        {"kind", "settlement"},
                        {"lines", json::array{line_json("411202199207203350", 150001)}}};
  return decision_record(claim_id, std::move(request), std::move(decision), sha, "2024-06-30T10:00:00Z");
}

void delete_records(soci::session& sql, long long from, long long to) {
  for (const char* table : {"decision_lines", "claims", "person_approvals", "claim_decisions", "catalogue_entries",
                            "budgets"}) {
    sql << std::string("DELETE FROM ") + table + " WHERE seq >= :a AND seq <= :b", soci::use(from), soci::use(to);
  }
  sql << "DELETE FROM log WHERE seq >= :a AND seq <= :b", soci::use(from), soci::use(to);
}

std::string record_text(soci::session& sql, long long seq) {
  std::string text;
  sql << "SELECT record FROM log WHERE seq = :seq", soci::into(text), soci::use(seq);
  auto codec = load_record_codec(sql, false);
  REQUIRE(codec.ok());
  codec.value().decode_in_place(text);
  return text;
}

void store_records_as_text(soci::session& sql) {
  auto codec = load_record_codec(sql, false);
  REQUIRE(codec.ok());
  long long last = 0;
  sql << "SELECT COALESCE(MAX(seq), 0) FROM log", soci::into(last);
  for (long long seq = 1; seq <= last; ++seq) {
    std::string text = record_text(sql, seq);
    sql << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(text), soci::use(seq);
  }
}

// Exchanges every column but seq between two rows (hash is unique, so through a placeholder).
void swap_records(soci::session& sql, long long a, long long b) {
  struct Row {
    std::string type, record, prev_hash, hash, decided_at;
  } row[2];
  long long seqs[2] = {a, b};
  for (int i = 0; i < 2; ++i) {
    sql << "SELECT type, record, prev_hash, hash, decided_at FROM log WHERE seq = :seq", soci::into(row[i].type),
        soci::into(row[i].record), soci::into(row[i].prev_hash), soci::into(row[i].hash),
        soci::into(row[i].decided_at), soci::use(seqs[i]);
  }
  sql << "UPDATE log SET hash = 'placeholder' WHERE seq = :seq", soci::use(a);
  for (int i = 1; i >= 0; --i) {  // b first: a's hash is free, b's is not yet
    const Row& r = row[1 - i];
    sql << "UPDATE log SET type = :t, record = :r, prev_hash = :p, hash = :h, decided_at = :d WHERE seq = :seq",
        soci::use(r.type), soci::use(r.record), soci::use(r.prev_hash), soci::use(r.hash), soci::use(r.decided_at),
        soci::use(seqs[i]);
  }
}

void delete_tail(soci::session& sql, long long after) {
  delete_records(sql, after + 1, std::numeric_limits<long long>::max());
}

FixedClock clock_at(int i) { return FixedClock(std::chrono::sys_seconds{std::chrono::seconds{1714552200 + i}}); }

audit::SigningKey new_key() {
  auto key = audit::SigningKey::generate(chosen_algorithms.sig);
  REQUIRE(key.ok());
  return std::move(key).value();
}

std::unique_ptr<Heads> open_heads(TestDb& db) {
  auto heads = Heads::open(db.url());
  REQUIRE(heads.ok());
  return std::move(heads).value();
}

NewRecord catalogue_record(int n) {
  ProjectEntry e{"HB-PJ-" + std::to_string(n), "养老护理员培训", "养老护理员", Program::project_training, Fen(150000),
                 *parse_date("2019-01-01"), std::nullopt};
  return project_record(e, "0123456789abcdef", "2024-04-30T00:00:00Z");
}

}  // namespace subsidy::store::test
