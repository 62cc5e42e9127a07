// The server with the real decision pipeline (DecisionPipeline::start) and the real token table
// (TokenAuthenticator over store::TokenStore) on a temporary SQLite log: a claim decided over
// HTTP validates against schemas/decision.schema.json, a resubmission gets the stored decision,
// concurrent submissions of one claim produce one decision, and a revoked token stops working.

#include "real_server.h"
#include "app/decision_pipeline.h"
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
#include "support/wft_claim.h"
#include "app/files.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <set>

namespace subsidy::api::test {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The pipeline tests' claim (tests/support/wft_claim.h), as a request body.
std::string wft_claim(const std::string& claim_id, const std::vector<std::string>& months) {
  return json::serialize(subsidy::testing::wft_claim(claim_id, months));
}


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

namespace {

// The demo's project class and its settlement (examples/claims.jsonl, lines 5 and 6): a class of 4
// trainees at 52411202MA44D0004E on project HB-PJ-CARE-01.
std::pair<std::string, std::string> demo_class() {
  std::ifstream in(std::string(SUBSIDY_SOURCE_DIR) + "/examples/claims.jsonl");
  std::string line;
  std::vector<json::value> lines;
  while (std::getline(in, line)) lines.push_back(json::parse(line));
  REQUIRE(lines.size() >= 6);
  return {json::serialize(lines[4]), json::serialize(lines[5].at("request"))};
}

const std::string school_path = "/v1/catalogue/institutions/52411202MA44D0004E";
const std::string care_path = "/v1/catalogue/projects/HB-PJ-CARE-01";
const std::string school_body =
    R"({"name": "湖滨区职业技能培训学校", "kind": "training", "valid_from": "2019-01-01", "valid_to": null})";
std::string care_body(std::int64_t standard_fen) {
  return R"({"name": "养老护理员培训", "occupation": "养老护理员", "program": "project_training", "standard_fen": )" +
         std::to_string(standard_fen) + R"(, "valid_from": "2019-01-01", "valid_to": null})";
}

std::set<std::string> pointers_of(const Reply& r) {
  std::set<std::string> out;
  json::value body = r.json();
  for (const auto& e : body.at("errors").as_array()) out.insert(std::string(e.at("pointer").as_string()));
  return out;
}

}  // namespace

TEST_CASE("end to end: catalogue PUTs are logged, a class is decided against them, a replaced entry reads back") {
  RealServer server;
  auto [claim, settlement] = demo_class();
  CHECK(request(server.port(), http::verb::get, care_path, server.clerk()).status == 404);

  Reply school = request(server.port(), http::verb::put, school_path, server.admin(), school_body);
  REQUIRE_MESSAGE(school.status == 201, school.body);
  CHECK(school.json() == json::parse(R"({"credit_code": "52411202MA44D0004E", "name": "湖滨区职业技能培训学校",
      "kind": "training", "valid_from": "2019-01-01", "valid_to": null, "seq": 1})"));
  Reply care = request(server.port(), http::verb::put, care_path, server.admin(), care_body(150001));
  REQUIRE_MESSAGE(care.status == 201, care.body);
  CHECK(care.json().at("seq") == 2);
  CHECK(care.json().at("standard_fen") == 150001);

  // The class is decided against the project just put: 4 trainees × its standard.
  Reply advance = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE_MESSAGE(advance.status == 201, advance.body);
  json::value decided = advance.json();
  CHECK(decided.at("seq") == 3);
  CHECK(decided.at("requested_fen") == 4 * 150001);
  CHECK(decided.at("outcome") != "rejected");
  CHECK(decided.at("approved_fen").to_number<std::int64_t>() % 150001 == 0);
  CHECK(decided.at("disbursements").at(0).at("kind") == "advance");

  // Replaced: 200, and from now on GET shows the new entry.
  Reply replaced = request(server.port(), http::verb::put, care_path, server.admin(), care_body(160000));
  REQUIRE_MESSAGE(replaced.status == 200, replaced.body);
  CHECK(replaced.json().at("seq") == 4);
  Reply read = request(server.port(), http::verb::get, care_path, server.clerk());
  REQUIRE(read.status == 200);
  CHECK(read.json() == json::parse(R"({"code": "HB-PJ-CARE-01", "name": "养老护理员培训", "occupation": "养老护理员",
      "program": "project_training", "standard_fen": 160000, "valid_from": "2019-01-01", "valid_to": null})"));
  Reply read_school = request(server.port(), http::verb::get, school_path, server.auditor());
  REQUIRE(read_school.status == 200);
  CHECK(read_school.json().at("kind") == "training");
  CHECK(!read_school.json().as_object().contains("seq"));

  // The catalogue records are in the log, with the admin's token id.
  Reply log = request(server.port(), http::verb::get, "/v1/audit/log?from_seq=4&limit=1", server.auditor());
  REQUIRE(log.status == 200);
  json::value record = json::parse(log.body);
  CHECK(record.at("type") == "catalogue");
  CHECK(record.at("entry").at("standard_fen") == 160000);
  CHECK(record.at("token_id") == server.admin_id().c_str());

  // The settlement; GET of the claim lists both decisions in seq order.
  std::string claim_id(json::parse(claim).at("claim_id").as_string());
  Reply settled = request(server.port(), http::verb::post, "/v1/claims/" + claim_id + "/settlement", server.clerk(),
                          settlement);
  REQUIRE_MESSAGE(settled.status == 201, settled.body);
  Reply got = request(server.port(), http::verb::get, "/v1/claims/" + claim_id, server.auditor());
  REQUIRE(got.status == 200);
  json::value got_body = got.json();
  const json::array& decisions = got_body.at("decisions").as_array();
  REQUIRE(decisions.size() == 2);
  CHECK(decisions[0] == decided);
  CHECK(decisions[0].at("kind") == "initial");
  CHECK(decisions[1].at("kind") == "settlement");
  CHECK(decisions[1] == settled.json());
  CHECK(decisions[1].at("seq") == 5);
}

TEST_CASE("end to end: budgets are put, replaced and listed") {
  RealServer server;
  Reply none = request(server.port(), http::verb::get, "/v1/budgets", server.clerk());
  REQUIRE(none.status == 200);
  CHECK(none.json() == json::parse(R"({"budgets": []})"));
  Reply put = request(server.port(), http::verb::put, "/v1/budgets/work_for_training/2020", server.admin(),
                      R"({"amount_fen": 500000000})");
  REQUIRE_MESSAGE(put.status == 201, put.body);
  CHECK(put.json() ==
        json::parse(R"({"program": "work_for_training", "year": 2020, "amount_fen": 500000000, "seq": 1})"));
  REQUIRE(request(server.port(), http::verb::put, "/v1/budgets/project_training/2019", server.admin(),
                  R"({"amount_fen": 0})")
              .status == 201);
  Reply again = request(server.port(), http::verb::put, "/v1/budgets/work_for_training/2020", server.admin(),
                        R"({"amount_fen": 600000000})");
  REQUIRE(again.status == 200);
  CHECK(again.json().at("seq") == 3);
  Reply list = request(server.port(), http::verb::get, "/v1/budgets", server.auditor());
  REQUIRE(list.status == 200);
  CHECK(list.json() == json::parse(R"({"budgets": [
      {"program": "work_for_training", "year": 2020, "amount_fen": 600000000},
      {"program": "project_training", "year": 2019, "amount_fen": 0}]})"));
}

TEST_CASE("end to end: invalid catalogue and budget PUTs are 422 with pointers, and nothing is logged") {
  RealServer server;
  auto put = [&](const std::string& target, const std::string& body) {
    return request(server.port(), http::verb::put, target, server.admin(), body);
  };
  Reply bad_code = put("/v1/catalogue/institutions/52411202MA44D0004X", school_body);
  REQUIRE(bad_code.status == 422);
  CHECK(pointers_of(bad_code) == std::set<std::string>{""});
  CHECK(bad_code.json().at("detail").as_string().find("credit code") != std::string::npos);

  Reply bad_school = put(school_path, R"({"name": "", "kind": "school", "valid_from": "2019-02-30", "color": 1})");
  REQUIRE(bad_school.status == 422);
  CHECK(pointers_of(bad_school) == std::set<std::string>{"/name", "/kind", "/valid_from", "/color"});
  CHECK(put(school_path, R"({"credit_code": "91411202MA44A0001W", "name": "x", "kind": "training",
                             "valid_from": "2019-01-01"})")
            .status == 422);

  Reply bad_project = put(care_path, R"({"name": "x", "occupation": "y", "program": "work_for_training",
      "standard_fen": -1, "valid_from": "2020-01-01", "valid_to": "2019-12-31"})");
  REQUIRE(bad_project.status == 422);
  CHECK(pointers_of(bad_project) == std::set<std::string>{"/program", "/standard_fen", "/valid_to"});
  Reply long_code = put("/v1/catalogue/projects/" + std::string(33, 'P'), care_body(1));
  REQUIRE(long_code.status == 422);
  CHECK(pointers_of(long_code) == std::set<std::string>{""});

  for (const char* target : {"/v1/budgets/work_for_training/2018", "/v1/budgets/work_for_training/2101",
                             "/v1/budgets/no_such_program/2020", "/v1/budgets/work_for_training/20x0"}) {
    CAPTURE(target);
    Reply r = put(target, R"({"amount_fen": 1})");
    REQUIRE(r.status == 422);
    CHECK(pointers_of(r) == std::set<std::string>{""});
  }
  for (const char* body : {R"({"amount_fen": -1})", R"({"amount_fen": 1.5})", R"({"amount_fen": "1"})",
                           R"({"amount_fen": 18446744073709551615})"}) {
    CAPTURE(body);
    Reply r = put("/v1/budgets/work_for_training/2020", body);
    REQUIRE(r.status == 422);
    CHECK(pointers_of(r) == std::set<std::string>{"/amount_fen"});
  }
  Reply extra = put("/v1/budgets/work_for_training/2020", R"({"amount_fen": 1, "amount": 1})");
  REQUIRE(extra.status == 422);
  CHECK(pointers_of(extra) == std::set<std::string>{"/amount"});
  Reply missing = put("/v1/budgets/work_for_training/2020", "{}");
  REQUIRE(missing.status == 422);
  CHECK(pointers_of(missing) == std::set<std::string>{"/amount_fen"});

  CHECK(request(server.port(), http::verb::get, "/v1/audit/log", server.auditor()).body.empty());
  CHECK(request(server.port(), http::verb::get, "/v1/budgets", server.clerk()).json() ==
        json::parse(R"({"budgets": []})"));
}

TEST_CASE("end to end: of 20 concurrent PUTs of one new catalogue key and of one new budget, exactly one is answered 201") {
  RealServer server;
  for (const std::string& path : {std::string(care_path), std::string("/v1/budgets/work_for_training/2021")}) {
    INFO(path);
    std::string body = path == care_path ? care_body(150001) : R"({"amount_fen": 100})";
    std::vector<std::future<Reply>> replies;
    for (int i = 0; i < 20; ++i) {
      replies.push_back(std::async(std::launch::async, [&] { return request(server.port(), http::verb::put, path, server.admin(), body); }));
    }
    std::map<int, int> statuses;
    for (auto& f : replies) ++statuses[f.get().status];
    CHECK(statuses[201] == 1);
    CHECK(statuses[200] == 19);
  }
}

TEST_CASE("end to end on PostgreSQL: a catalogue PUT, GET, replace, a budget, a class advanced and settled") {
  if (store::test::postgres_url().empty()) {
    std::printf("api tests: postgresql backend NOT RUN: SUBSIDY_TEST_POSTGRES_URL is not set\n");
    return;
  }
  RealServer server(store::test::make_postgres_db());
  REQUIRE(request(server.port(), http::verb::put, care_path, server.admin(), care_body(150001)).status == 201);
  REQUIRE(request(server.port(), http::verb::put, care_path, server.admin(), care_body(150002)).status == 200);
  Reply read = request(server.port(), http::verb::get, care_path, server.clerk());
  REQUIRE(read.status == 200);
  CHECK(read.json().at("standard_fen") == 150002);
  REQUIRE(request(server.port(), http::verb::put, "/v1/budgets/pre_job_training/2021", server.admin(),
                  R"({"amount_fen": 7})")
              .status == 201);
  CHECK(request(server.port(), http::verb::get, "/v1/budgets", server.clerk()).json() ==
        json::parse(R"({"budgets": [{"program": "pre_job_training", "year": 2021, "amount_fen": 7}]})"));
  // A class against it, settled: GET of the claim lists both decisions.
  REQUIRE(request(server.port(), http::verb::put, school_path, server.admin(), school_body).status == 201);
  auto [claim, settlement] = demo_class();
  std::string claim_id(json::parse(claim).at("claim_id").as_string());
  Reply advance = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE_MESSAGE(advance.status == 201, advance.body);
  CHECK(advance.json().at("requested_fen") == 4 * 150002);
  REQUIRE(request(server.port(), http::verb::post, "/v1/claims/" + claim_id + "/settlement", server.clerk(), settlement)
              .status == 201);
  json::value got = request(server.port(), http::verb::get, "/v1/claims/" + claim_id, server.clerk()).json();
  REQUIRE(got.at("decisions").as_array().size() == 2);
  CHECK(got.at("decisions").at(0).at("kind") == "initial");
  CHECK(got.at("decisions").at(1).at("kind") == "settlement");
}

TEST_CASE("end to end: the review queue lists held lines oldest first, and a clerk's review clears them") {
  RealServer server;
  subsidy::testing::JsonSchema schema("schemas/decision.schema.json");
  auto post = [&](const std::string& target, const std::string& body) {
    return request(server.port(), http::verb::post, target, server.clerk(), body);
  };
  REQUIRE(post("/v1/claims", wft_claim("HB-Q-1", {"2020-01"})).status == 201);
  // Two claims under another name than the first: each held for a clerk.
  for (std::string id : {"HB-Q-2", "HB-Q-3"}) {
    json::value renamed = subsidy::testing::wft_claim(id, id == "HB-Q-2" ? std::vector<std::string>{"2020-02", "2020-03"}
                                                                          : std::vector<std::string>{"2020-04"});
    renamed.as_object()["person"].as_object()["name"] = "张叁";
    Reply held = post("/v1/claims", json::serialize(renamed));
    REQUIRE_MESSAGE(held.status == 201, held.body);
    CHECK(held.json().at("outcome") == "needs_review");
  }
  Reply queue = request(server.port(), http::verb::get, "/v1/review-queue", server.auditor());
  REQUIRE_MESSAGE(queue.status == 200, queue.body);
  CHECK(json::serialize(queue.json()) ==
        R"({"claims":[{"claim_id":"HB-Q-2","program":"work_for_training","seq":2,"held":["2020-02","2020-03"]},)"
        R"({"claim_id":"HB-Q-3","program":"work_for_training","seq":3,"held":["2020-04"]}]})");
  Reply page = request(server.port(), http::verb::get, "/v1/review-queue?limit=1", server.clerk());
  REQUIRE(page.status == 200);
  CHECK(page.json().at("claims").as_array().size() == 1);
  CHECK(page.json().at("next_after_seq") == 2);
  Reply next = request(server.port(), http::verb::get, "/v1/review-queue?limit=1&after_seq=2", server.clerk());
  CHECK(next.json().at("claims").at(0).at("claim_id") == "HB-Q-3");
  CHECK(request(server.port(), http::verb::get, "/v1/review-queue?limit=0", server.clerk()).status == 400);

  Reply reviewed = post("/v1/claims/HB-Q-2/review",
                        R"({"lines": [{"subject": "2020-03", "resolution": "approve"}], "note": "ID card checked"})");
  REQUIRE_MESSAGE(reviewed.status == 201, reviewed.body);
  json::value decision = reviewed.json();
  CHECK(schema.errors(decision) == "");
  CHECK(decision.at("kind") == "review");
  CHECK(decision.at("seq") == 4);
  CHECK(decision.at("approved_fen") == 20000);
  // February is still held: the queue keeps the claim with that line only.
  Reply after = request(server.port(), http::verb::get, "/v1/review-queue", server.clerk());
  CHECK(after.json().at("claims").at(0).at("held") == json::array{"2020-02"});

  Reply again = post("/v1/claims/HB-Q-2/review", R"({"lines": [{"subject": "2020-03", "resolution": "reject"}], "note": "x"})");
  REQUIRE(again.status == 409);
  CHECK(again.json().at("errors").at(0).at("pointer") == "/lines/0/subject");
  Reply typo = post("/v1/claims/HB-Q-2/review", R"({"lines": [{"subject": "2020-02", "resolution": "approve"}], "notes": "x"})");
  REQUIRE(typo.status == 422);
  std::set<std::string> pointers;
  json::value problem = typo.json();
  for (const auto& e : problem.at("errors").as_array()) pointers.insert(std::string(e.at("pointer").as_string()));
  CHECK(pointers == std::set<std::string>{"/note", "/notes"});
  CHECK(post("/v1/claims/HB-Q-404/review", R"({"lines": [{"subject": "2020-02", "resolution": "approve"}], "note": "x"})").status == 404);

  // The claim's read lists its initial decision and the review.
  Reply claim = request(server.port(), http::verb::get, "/v1/claims/HB-Q-2", server.auditor());
  REQUIRE(claim.status == 200);
  CHECK(claim.json().at("decisions").as_array().size() == 2);
  CHECK(claim.json().at("decisions").at(1).at("kind") == "review");
}

}  // namespace subsidy::api::test
