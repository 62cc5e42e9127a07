// Each status the HTTP layer produces, through a real socket, with a problem body whose status
// equals the HTTP status: 200, 201, 400, 401, 403 (access_test.cpp), 404, 405, 409, 413, 415,
// 422, 431, 503 (queue full, store failure).

#include "api_fixture.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

namespace subsidy::api::test {

TEST_CASE("POST /v1/claims: 201 created / 200 existing / 409 conflict / 422 invalid / 503 store failure") {
  ApiFixture server;
  Reply created = server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim());
  REQUIRE(created.status == 201);
  CHECK(created.header(http::field::content_type) == "application/json");
  CHECK(created.json().at("claim_id") == "HB-2020-000123");

  server.pipeline.next_outcome = PipelineOutcome::existing;
  Reply existing = server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim());
  REQUIRE(existing.status == 200);
  CHECK(existing.json().at("claim_id") == "HB-2020-000123");

  server.pipeline.next_outcome = PipelineOutcome::conflict;
  check_problem(server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim()), 409);

  server.pipeline.next_outcome = PipelineOutcome::unavailable;
  check_problem(server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim()), 503);

  Reply invalid = server.send(http::verb::post, "/v1/claims", clerk_token, R"({"claim_id": "HB-1"})");
  check_problem(invalid, 422);
  CHECK(invalid.json().at("errors").as_array().size() >= 3);  // every missing member is named
}

TEST_CASE("503 with Retry-After when the decision queue is full") {
  ApiFixture server;
  server.pipeline.refuse = true;
  for (const char* target : {"/v1/claims", "/v1/eligibility"}) {
    Reply reply = server.send(http::verb::post, target, clerk_token, valid_claim());
    check_problem(reply, 503);
    CHECK(reply.header(http::field::retry_after) == "3");
  }
  Reply settlement = server.send(http::verb::post, "/v1/claims/HB-T-1/settlement", clerk_token, valid_settlement());
  check_problem(settlement, 503);
  CHECK(settlement.header(http::field::retry_after) == "3");
  CHECK(server.pipeline.submitted == 0);
}

TEST_CASE("settlement: 201 / 404 for an unknown or impossible claim_id / 409 for a second one") {
  ApiFixture server;
  Reply created = server.send(http::verb::post, "/v1/claims/HB-P-1/settlement", clerk_token, valid_settlement());
  REQUIRE(created.status == 201);
  CHECK(created.json().at("claim_id") == "HB-P-1");
  server.pipeline.next_outcome = PipelineOutcome::not_found;
  check_problem(server.send(http::verb::post, "/v1/claims/HB-P-9/settlement", clerk_token, valid_settlement()), 404);
  server.pipeline.next_outcome = PipelineOutcome::conflict;
  check_problem(server.send(http::verb::post, "/v1/claims/HB-P-1/settlement", clerk_token, valid_settlement()), 409);
  // A claim_id that api.md does not allow cannot name a claim: 404 before the pipeline.
  int before = server.pipeline.submitted;
  check_problem(server.send(http::verb::post, "/v1/claims/HB%20P/settlement", clerk_token, valid_settlement()), 404);
  CHECK(server.pipeline.submitted == before);
  Reply invalid = server.send(http::verb::post, "/v1/claims/HB-P-1/settlement", clerk_token, R"({"settled_on": 5})");
  check_problem(invalid, 422);
}

TEST_CASE("404 for an unknown path - 405 with Allow for a known path and another method") {
  ApiFixture server;
  check_problem(server.send(http::verb::get, "/v1/nothing-here", clerk_token), 404);
  check_problem(server.send(http::verb::get, "/v1/claims/HB-1/appeal", clerk_token), 404);
  Reply review_read = server.send(http::verb::get, "/v1/claims/HB-1/review", clerk_token);
  check_problem(review_read, 405);
  CHECK(review_read.header(http::field::allow) == "POST");
  Reply wrong = server.send(http::verb::get, "/v1/claims", clerk_token);
  check_problem(wrong, 405);
  CHECK(wrong.header(http::field::allow) == "POST");
  Reply wrong_public = server.send(http::verb::delete_, "/healthz");
  check_problem(wrong_public, 405);
  CHECK(wrong_public.header(http::field::allow) == "GET");
}

TEST_CASE("415 for a body that is not declared application/json") {
  ApiFixture server;
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded", "application/jsonx", ""}) {
    CAPTURE(type);
    check_problem(server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim(), type), 415);
  }
  // Parameters of the media type are fine.
  CHECK(server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim(), "Application/JSON; charset=utf-8")
            .status == 201);
}

TEST_CASE("an internal failure is a logged 503 with a problem body - never a 500 or a dropped request") {
  ApiFixture server;
  Client client(server.port());
  check_problem(client.send(http::verb::get, "/v1/rulesets", failing_token), 503);        // in the token check
  check_problem(client.send(http::verb::post, "/v1/claims", clerk_token, R"({"throw": 1})"), 503);  // in a handler
  CHECK(client.send(http::verb::get, "/healthz").status == 200);  // the connection still serves
}

}  // namespace subsidy::api::test
