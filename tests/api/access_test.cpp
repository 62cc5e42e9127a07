// Every route of the table, every role: 401 without or with an unknown token (WWW-Authenticate:
// Bearer), 403 for each role the table does not allow, and neither for the roles it does.
// An institution cannot check another entity's claim.

#include "api/routes.h"
#include "api_fixture.h"

#include <doctest/doctest.h>

#include <boost/json/object.hpp>

namespace subsidy::api::test {

namespace {

// The route's pattern with sample values for its parameters, and a query where one is needed.
std::string sample_target(std::string_view pattern) {
  std::string target(pattern);
  auto replace = [&](std::string_view name, std::string_view value) {
    if (auto at = target.find(name); at != std::string::npos) target.replace(at, name.size(), value);
  };
  replace("{claim_id}", "HB-T-1");
  replace("{seq}", "1");
  replace("{id}", "hubin-2019");
  replace("{credit_code}", institution_code);
  replace("{code}", "HB-PJ-T-1");
  replace("{program}", "project_training");
  replace("{year}", "2020");
  replace("{class_id}", "HB-CL-T-1");
  if (target == "/v1/audit/consistency") target += "?from_size=2&to_size=4";
  if (target == "/v1/reports/funds") target += "?period=2020-03";
  if (target == "/v1/reports/targets") target += "?year=2020";
  return target;
}

std::string sample_body(std::string_view pattern) {
  if (pattern.ends_with("/settlement")) return valid_settlement();
  if (pattern.ends_with("/review")) return R"({"lines": [{"subject": "2020-01", "resolution": "approve"}], "note": "T"})";
  if (pattern == "/v1/claims" || pattern == "/v1/eligibility") return valid_claim();
  if (pattern.starts_with("/v1/catalogue/institutions/")) {
    return R"({"name": "T school", "kind": "training", "valid_from": "2019-01-01", "valid_to": null})";
  }
  if (pattern.starts_with("/v1/catalogue/projects/")) {
    return R"({"name": "T", "occupation": "T", "program": "project_training", "standard_fen": 100, "valid_from": "2019-01-01"})";
  }
  if (pattern.starts_with("/v1/budgets/")) return R"({"amount_fen": 100})";
  if (pattern == "/v1/classes") {
    return R"({"class_id": "HB-CL-T-1", "credit_code": ")" + institution_code +
           R"(", "project_code": "HB-PJ-T-1", "start": "2020-07-13", "end": "2020-08-11", "hours": 120,
               "filed_on": "2020-06-29", "roster": [{"id_number": "411202199001011230", "name": "张三"}]})";
  }
  return "";
}

struct RoleToken {
  Role role;
  const std::string& token;
};

}  // namespace

TEST_CASE("every route answers 401 without a token and 403 for each role it does not allow") {
  ApiFixture server;
  const RoleToken roles[] = {{Role::clerk, clerk_token},
                             {Role::institution, institution_token},
                             {Role::auditor, auditor_token},
                             {Role::admin, admin_token}};
  int forbidden_seen = 0;
  for (const Route& route : route_table()) {
    std::string target = sample_target(route.pattern);
    std::string body = sample_body(route.pattern);
    CAPTURE(target);
    if (!route.roles.needs_token()) {
      CHECK(server.send(route.method, target, "", body).status == 200);
      continue;
    }
    Reply none = server.send(route.method, target, "", body);
    check_problem(none, 401);
    CHECK(none.header(http::field::www_authenticate).starts_with("Bearer"));
    check_problem(server.send(route.method, target, "sbt_not_a_token", body), 401);
    for (const RoleToken& r : roles) {
      CAPTURE(store::role_name(r.role));
      Reply reply = server.send(route.method, target, r.token, body);
      if (route.roles.allows(r.role)) {
        CHECK(reply.status != 401);
        CHECK(reply.status != 403);
        CHECK(reply.status < 500);
      } else {
        check_problem(reply, 403);
        ++forbidden_seen;
      }
    }
  }
  CHECK(forbidden_seen >= 20);  // the table forbids most routes to most roles
}

TEST_CASE("an institution cannot check a claim of another entity - its own it can") {
  ApiFixture server;
  Reply foreign = server.send(http::verb::post, "/v1/eligibility", institution_token, valid_claim("91411202MA44B0002P"));
  check_problem(foreign, 403);
  CHECK(foreign.json().at("errors").at(0).at("pointer") == "/entity/credit_code");
  Reply own = server.send(http::verb::post, "/v1/eligibility", institution_token, valid_claim());
  REQUIRE(own.status == 200);
  CHECK(own.json().at("dry_run") == true);
  CHECK(server.pipeline.submitted == 1);  // the foreign one never reached the pipeline
  // A clerk may check any entity's claim.
  CHECK(server.send(http::verb::post, "/v1/eligibility", clerk_token, valid_claim("91411202MA44B0002P")).status == 200);
}

TEST_CASE("the token's id reaches the pipeline with a submitted claim") {
  ApiFixture server;
  REQUIRE(server.send(http::verb::post, "/v1/claims", clerk_token, valid_claim()).status == 201);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  CHECK(server.pipeline.last_token_id == "tok-clerk");
}

TEST_CASE("the Bearer scheme is case-insensitive and other schemes are not accepted") {
  ApiFixture server;
  Client client(server.port());
  CHECK(client.send(http::verb::get, "/v1/rulesets", "", "", "", {{"Authorization", "bearer " + auditor_token}}).status ==
        200);
  check_problem(client.send(http::verb::get, "/v1/rulesets", "", "", "", {{"Authorization", "Basic " + auditor_token}}),
                401);
}

}  // namespace subsidy::api::test
