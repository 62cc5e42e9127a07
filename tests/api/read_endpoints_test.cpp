// The read endpoints over the fixture's log (api_fixture.h): decisions, the log as JSON Lines,
// the signed head, proofs checked against the head, rulesets, health, metrics, the API document.

#include "api_fixture.h"
#include "audit/merkle.h"
#include "audit/signed_head.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <algorithm>
#include <sstream>

namespace subsidy::api::test {

namespace json = boost::json;

TEST_CASE("GET /v1/decisions/{seq}: a decision with its hash - 404 for another record type or past the head") {
  ApiFixture server;
  Reply one = server.send(http::verb::get, "/v1/decisions/2", auditor_token);
  REQUIRE_MESSAGE(one.status == 200, one.body);
  json::value d = one.json();
  CHECK(d.at("claim_id") == "HB-T-2");
  CHECK(d.at("hash").as_string().size() == 64);
  CHECK(d.at("prev_hash").as_string().size() == 64);
  CHECK(server.send(http::verb::get, "/v1/decisions/1", clerk_token).json().at("hash") == d.at("prev_hash"));
  check_problem(server.send(http::verb::get, "/v1/decisions/3", auditor_token), 404);  // a catalogue record
  check_problem(server.send(http::verb::get, "/v1/decisions/6", auditor_token), 404);
  check_problem(server.send(http::verb::get, "/v1/decisions/0", auditor_token), 404);
  check_problem(server.send(http::verb::get, "/v1/decisions/abc", auditor_token), 404);
}

TEST_CASE("GET /v1/claims/{claim_id}: the claim as received and its decision - an institution only its own") {
  ApiFixture server;
  Reply own = server.send(http::verb::get, "/v1/claims/HB-T-1", institution_token);
  REQUIRE_MESSAGE(own.status == 200, own.body);
  json::value body = own.json();
  CHECK(body.at("claim_id") == "HB-T-1");
  CHECK(body.at("claim").at("entity").at("credit_code").as_string() == institution_code);
  CHECK(body.at("decisions").as_array().size() == 1);
  CHECK(body.at("decisions").at(0) == server.send(http::verb::get, "/v1/decisions/1", auditor_token).json());

  check_problem(server.send(http::verb::get, "/v1/claims/HB-P-5", institution_token), 403);  // another entity's
  CHECK(server.send(http::verb::get, "/v1/claims/HB-P-5", clerk_token).status == 200);
  CHECK(server.send(http::verb::get, "/v1/claims/HB-P-5", auditor_token).status == 200);
  check_problem(server.send(http::verb::get, "/v1/claims/HB-NOPE", clerk_token), 404);
  check_problem(server.send(http::verb::get, "/v1/claims/HB%2FX", clerk_token), 404);
}

TEST_CASE("GET /v1/audit/log: JSON Lines in seq order / chained / within from_seq and limit") {
  ApiFixture server;
  Reply all = server.send(http::verb::get, "/v1/audit/log", auditor_token);
  REQUIRE(all.status == 200);
  CHECK(all.header(http::field::content_type) == "application/x-ndjson");
  std::istringstream lines(all.body);
  std::string line;
  std::vector<json::value> records;
  while (std::getline(lines, line)) records.push_back(json::parse(line));
  REQUIRE(records.size() == 5);
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].at("seq").to_number<std::uint64_t>() == i + 1);
    if (i > 0) CHECK(records[i].at("prev_hash") == records[i - 1].at("hash"));
  }
  CHECK(records[2].at("type") == "catalogue");

  Reply page = server.send(http::verb::get, "/v1/audit/log?from_seq=2&limit=2", auditor_token);
  REQUIRE(page.status == 200);
  CHECK(page.body == all.body.substr(all.body.find('\n') + 1, page.body.size()));
  CHECK(std::count(page.body.begin(), page.body.end(), '\n') == 2);
  CHECK(server.send(http::verb::get, "/v1/audit/log?from_seq=9", auditor_token).body.empty());
  check_problem(server.send(http::verb::get, "/v1/audit/log?limit=100001", auditor_token), 400);
  check_problem(server.send(http::verb::get, "/v1/audit/log?limit=0", auditor_token), 400);
  check_problem(server.send(http::verb::get, "/v1/audit/log?from_seq=-1", auditor_token), 400);
  CHECK(server.send(http::verb::get, "/v1/audit/log?limit=100000", auditor_token).status == 200);
}

TEST_CASE("GET /v1/audit/head / proof and consistency verify against each other") {
  ApiFixture server;
  Reply head_reply = server.send(http::verb::get, "/v1/audit/head", auditor_token);
  REQUIRE(head_reply.status == 200);
  json::value head_json = head_reply.json();
  CHECK(head_json.at("seq") == 4);
  for (const char* member : {"hash", "merkle_root", "signed_at", "hash_alg", "sig_alg", "signature", "public_key", "key_id"}) {
    CAPTURE(member);
    CHECK(head_json.as_object().contains(member));
  }
  auto head = audit::head_from_json(head_json);
  REQUIRE(head.ok());

  Reply proof = server.send(http::verb::get, "/v1/audit/proof/3", auditor_token);
  REQUIRE(proof.status == 200);
  json::value p = proof.json();
  CHECK(p.at("tree_size") == 4);
  CHECK(p.at("path").as_array().size() == 2);  // a leaf of a 4-leaf tree has two siblings
  check_problem(server.send(http::verb::get, "/v1/audit/proof/5", auditor_token), 404);

  Reply consistency = server.send(http::verb::get, "/v1/audit/consistency?from_size=2&to_size=4", auditor_token);
  REQUIRE(consistency.status == 200);
  CHECK(consistency.json().at("path").as_array().size() == 1);  // the subtree of records 3-4
  check_problem(server.send(http::verb::get, "/v1/audit/consistency?from_size=3&to_size=4", auditor_token), 404);
  check_problem(server.send(http::verb::get, "/v1/audit/consistency?from_size=4&to_size=2", auditor_token), 400);
  check_problem(server.send(http::verb::get, "/v1/audit/consistency?to_size=2", auditor_token), 400);
}

TEST_CASE("GET /v1/rulesets and /v1/rulesets/{id}") {
  ApiFixture server;
  Reply list = server.send(http::verb::get, "/v1/rulesets", institution_token);
  REQUIRE(list.status == 200);
  json::value list_body = list.json();
  const auto& rulesets = list_body.at("rulesets").as_array();
  REQUIRE(!rulesets.empty());
  CHECK(rulesets.at(0).at("id") == "hubin-2019");
  CHECK(rulesets.at(0).at("sha256").as_string().size() == 64);
  CHECK(rulesets.at(0).at("effective_from") == "2019-09-07");
  Reply one = server.send(http::verb::get, "/v1/rulesets/hubin-2019", admin_token);
  REQUIRE(one.status == 200);
  CHECK(one.json().at("document").at("id") == "hubin-2019");
  check_problem(server.send(http::verb::get, "/v1/rulesets/nope", admin_token), 404);
}

TEST_CASE("/healthz / /openapi.json and /metrics need no token - metrics count requests by route and status") {
  ApiFixture server;
  CHECK(server.send(http::verb::get, "/healthz").json().at("status") == "ok");
  Reply openapi = server.send(http::verb::get, "/openapi.json");
  REQUIRE(openapi.status == 200);
  CHECK(openapi.json().at("openapi") == "3.1.0");
  server.send(http::verb::get, "/v1/decisions/1", auditor_token);
  server.send(http::verb::get, "/v1/decisions/3", auditor_token);
  Reply metrics = server.send(http::verb::get, "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(metrics.header(http::field::content_type).starts_with("text/plain"));
  const std::string& m = metrics.body;
  CHECK(m.find(R"(subsidy_http_requests_total{method="GET",route="/v1/decisions/{seq}",status="200"} 1)") !=
        std::string::npos);
  CHECK(m.find(R"(subsidy_http_requests_total{method="GET",route="/v1/decisions/{seq}",status="404"} 1)") !=
        std::string::npos);
  CHECK(m.find(R"(subsidy_http_request_duration_seconds_count{method="GET",route="/v1/decisions/{seq}"} 2)") !=
        std::string::npos);
  CHECK(m.find("subsidy_decision_queue_depth 0") != std::string::npos);
  // The fake pipeline's decisions are "approved".
  server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim());
  CHECK(server.send(http::verb::get, "/metrics").body.find(R"(subsidy_decisions_total{outcome="approved"} 1)") !=
        std::string::npos);
}

}  // namespace subsidy::api::test
