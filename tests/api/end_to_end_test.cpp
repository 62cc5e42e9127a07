// The server with the real decision pipeline (DecisionPipeline::start) and the real token table
// (TokenAuthenticator over store::TokenStore) on a temporary SQLite log: a claim decided over
// HTTP validates against schemas/decision.schema.json, a resubmission gets the stored decision,
// concurrent submissions of one claim produce one decision, and a revoked token stops working.

#include "api/decision_pipeline.h"
#include "api/metrics.h"
#include "api/read_connections.h"
#include "api/server.h"
#include "api/services.h"
#include "api/token_authenticator.h"
#include "http_client.h"
#include "store/clock.h"
#include "store/token_store.h"
#include "store_fixture.h"
#include "support/json_schema.h"
#include "tools/common/files.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <filesystem>
#include <future>
#include <set>

namespace subsidy::api::test {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// A work_for_training claim of 张三 at 91411202MA44A0001W for the given months (the pipeline
// tests' claim).
std::string wft_claim(const std::string& claim_id, const std::vector<std::string>& months) {
  json::value claim = json::parse(R"({"claim_id": "", "program": "work_for_training", "submitted_on": "2021-12-20",
    "entity": {"credit_code": "91411202MA44A0001W", "name": "湖滨区甲食品有限公司", "type": "enterprise", "insured": true},
    "person": {"id_number": "411202199001011230", "name": "张三", "categories": ["poor_laborer"]},
    "employment": {"start": "2019-10-08", "end": null}, "months": [],
    "evidence": [{"kind": "roster", "ref": "R-1"}, {"kind": "labour_contract", "ref": "LC-1"},
                 {"kind": "wage_records", "ref": "WG-1"}]})");
  json::array m;
  for (const auto& month : months) m.emplace_back(month);
  claim.as_object()["claim_id"] = claim_id;
  claim.as_object()["months"] = std::move(m);
  return json::serialize(claim);
}

class RealServer {
 public:
  explicit RealServer(std::unique_ptr<store::test::TestDb> db = store::test::make_sqlite_db()) : db_(std::move(db)) {
    dir_ = fs::temp_directory_path() / ("subsidy-api-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(++n_));
    fs::create_directories(dir_);
    PipelineSettings ps;
    ps.database_url = db_->url();
    ps.rules_dir = std::string(SUBSIDY_SOURCE_DIR) + "/rules";
    ps.key_file = (dir_ / "signing.key").string();
    std::string error;
    pipeline_ = DecisionPipeline::start(ps, error);
    REQUIRE_MESSAGE(pipeline_, error);
    auto tokens = store::TokenStore::open(db_->url());
    REQUIRE(tokens.ok());
    store::SystemClock clock;
    auto clerk = tokens.value()->create(store::Role::clerk, "", "e2e clerk", clock);
    REQUIRE(clerk.ok());
    clerk_ = clerk.value().bearer;
    clerk_id_ = clerk.value().info.id;
    authenticator_ = std::make_unique<TokenAuthenticator>(std::move(tokens).value());
    auto loaded = tools::load_rulesets({ps.rules_dir});
    REQUIRE(std::holds_alternative<RulesetSet>(loaded));
    rulesets_ = std::make_unique<RulesetSet>(std::get<RulesetSet>(std::move(loaded)));
    readers_ = std::make_unique<ReadConnections>(db_->url());
    services_.pipeline = pipeline_.get();
    services_.authenticator = authenticator_.get();
    services_.readers = readers_.get();
    services_.rulesets = rulesets_.get();
    services_.metrics = &metrics_;
    ServerSettings s;
    s.port = 0;
    s.threads = 2;
    server_ = std::make_unique<Server>(s, services_);
    REQUIRE_MESSAGE(server_->start(error), error);
  }
  ~RealServer() {
    server_->stop();
    pipeline_->stop();
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::uint16_t port() const { return server_->port(); }
  const std::string& clerk() const { return clerk_; }
  const std::string& clerk_id() const { return clerk_id_; }
  const std::string& url() const { return db_->url(); }

 private:
  static inline int n_ = 0;
  std::unique_ptr<store::test::TestDb> db_;
  fs::path dir_;
  std::unique_ptr<DecisionPipeline> pipeline_;
  std::string clerk_;
  std::string clerk_id_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  std::unique_ptr<RulesetSet> rulesets_;
  std::unique_ptr<ReadConnections> readers_;
  Metrics metrics_;
  Services services_;
  std::unique_ptr<Server> server_;
};

}  // namespace

TEST_CASE("end to end: a claim is decided / stored / answered again unchanged / and its record read back") {
  RealServer server;
  subsidy::testing::JsonSchema schema("schemas/decision.schema.json");
  std::string claim = wft_claim("HB-E2E-1", {"2020-01", "2020-02"});
  Reply created = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE_MESSAGE(created.status == 201, created.body);
  json::value decision = created.json();
  CHECK(schema.errors(decision) == "");
  CHECK(decision.at("seq") == 1);
  CHECK(decision.at("outcome") == "approved");

  Reply again = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE(again.status == 200);
  CHECK(again.json() == decision);

  Reply other = request(server.port(), http::verb::post, "/v1/claims", server.clerk(),
                        wft_claim("HB-E2E-1", {"2020-03"}));
  REQUIRE(other.status == 409);
  CHECK(other.json().at("status") == 409);

  Reply read = request(server.port(), http::verb::get, "/v1/decisions/1", server.clerk());
  REQUIRE(read.status == 200);
  CHECK(read.json() == decision);

  Reply dry = request(server.port(), http::verb::post, "/v1/eligibility", server.clerk(),
                      wft_claim("HB-E2E-2", {"2020-03"}));
  REQUIRE(dry.status == 200);
  CHECK(dry.json().at("dry_run") == true);
  CHECK(!dry.json().as_object().contains("seq"));

  Reply typo = request(server.port(), http::verb::post, "/v1/claims", server.clerk(),
                       R"({"claim_id": "HB-E2E-3", "program": "work_for_training", "month": []})");
  REQUIRE(typo.status == 422);
  bool named = false;
  json::value typo_body = typo.json();
  for (const auto& e : typo_body.at("errors").as_array()) named = named || e.at("pointer") == "/month";
  CHECK(named);
}

TEST_CASE("end to end: 50 concurrent submissions of the same claim produce one decision") {
  RealServer server;
  std::string claim = wft_claim("HB-E2E-SAME", {"2020-04"});
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 50; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
    }));
  }
  int created = 0;
  int existing = 0;
  std::set<std::string> bodies;
  for (auto& f : replies) {
    Reply r = f.get();
    created += r.status == 201;
    existing += r.status == 200;
    bodies.insert(r.body);
  }
  CHECK(created == 1);
  CHECK(existing == 49);
  CHECK(bodies.size() == 1);
  Reply log = request(server.port(), http::verb::get, "/v1/decisions/2", server.clerk());
  CHECK(log.status == 404);  // nothing but seq 1 was stored
}

TEST_CASE("end to end: 200 concurrent claims of one person for different months never approve more than 6 months") {
  RealServer server;
  // 200 claims of one month each, spread over the 28 months 2020-01..2022-04 (many months asked
  // for several times by different claims).
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 200; ++i) {
    int m = i % 24;
    std::string month = std::to_string(2020 + m / 12) + "-" + (m % 12 < 9 ? "0" : "") + std::to_string(m % 12 + 1);
    replies.push_back(std::async(std::launch::async, [&server, i, month] {
      return request(server.port(), http::verb::post, "/v1/claims", server.clerk(),
                     wft_claim("HB-CAP-" + std::to_string(i), {month}));
    }));
  }
  std::int64_t approved_fen = 0;
  int approved_lines = 0;
  int created = 0;
  for (auto& f : replies) {
    Reply r = f.get();
    if (r.status != 201) continue;
    ++created;
    json::value d = r.json();
    approved_fen += d.at("approved_fen").to_number<std::int64_t>();
    for (const auto& line : d.at("lines").as_array()) approved_lines += line.at("approved_fen").to_number<std::int64_t>() > 0;
  }
  CHECK(created == 200);
  CHECK(approved_lines == 6);
  CHECK(approved_fen > 0);
}

TEST_CASE("end to end on PostgreSQL: decided - answered again - one decision for concurrent duplicates") {
  if (store::test::postgres_url().empty()) {
    std::printf("api tests: postgresql backend NOT RUN: SUBSIDY_TEST_POSTGRES_URL is not set\n");
    return;
  }
  RealServer server(store::test::make_postgres_db());
  std::string claim = wft_claim("HB-PG-1", {"2020-05", "2020-06"});
  Reply created = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE_MESSAGE(created.status == 201, created.body);
  CHECK(created.json().at("seq") == 1);
  std::vector<std::future<Reply>> replies;
  for (int i = 0; i < 20; ++i) {
    replies.push_back(std::async(std::launch::async, [&] {
      return request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
    }));
  }
  for (auto& f : replies) CHECK(f.get().status == 200);
  Reply read = request(server.port(), http::verb::get, "/v1/decisions/1", server.clerk());
  REQUIRE(read.status == 200);
  CHECK(read.json() == created.json());
  CHECK(request(server.port(), http::verb::get, "/v1/decisions/2", server.clerk()).status == 404);
}

TEST_CASE("end to end: a revoked token stops working within the cache time") {
  RealServer server;
  REQUIRE(request(server.port(), http::verb::get, "/v1/rulesets", server.clerk()).status == 200);
  auto tokens = store::TokenStore::open(server.url());
  REQUIRE(tokens.ok());
  store::SystemClock clock;
  REQUIRE(tokens.value()->revoke(server.clerk_id(), clock).ok());
  std::this_thread::sleep_for(token_cache_ms + std::chrono::milliseconds(200));
  Reply after = request(server.port(), http::verb::get, "/v1/rulesets", server.clerk());
  CHECK(after.status == 401);
}

}  // namespace subsidy::api::test
