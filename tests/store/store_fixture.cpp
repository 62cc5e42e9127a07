#include "store_fixture.h"

#include "store/connection.h"

#include <boost/json/array.hpp>

#include <atomic>
#include <cstdlib>
#include <filesystem>
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

std::unique_ptr<LogStore> TestDb::open() const {
  auto store = LogStore::open(url());
  REQUIRE_MESSAGE(store.ok(), store.error().message);
  return std::move(store.value());
}

std::unique_ptr<TestDb> make_sqlite_db() { return std::make_unique<SqliteDb>(); }
std::unique_ptr<TestDb> make_postgres_db() { return std::make_unique<PostgresDb>(); }

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

NewRecord catalogue_record(int n) {
  return NewRecord{"catalogue", json::object{{"decided_at", "2024-04-30T00:00:00Z"},
                                             {"entry", json::object{{"code", "HB-PJ-" + std::to_string(n)}}}}};
}

}  // namespace subsidy::store::test
