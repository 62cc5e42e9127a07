// The pure pieces of routing: path patterns, query parameters, problem bodies.

#include "api/problem_response.h"
#include "api/query_string.h"
#include "api/router.h"
#include "api/routes.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <set>

namespace subsidy::api::test {

TEST_CASE("match_pattern: literal and parameter segments / nothing more or less") {
  std::vector<std::string> p;
  CHECK(match_pattern("/v1/claims/{claim_id}/settlement", "/v1/claims/HB-1/settlement", p));
  CHECK(p == std::vector<std::string>{"HB-1"});
  CHECK(!match_pattern("/v1/claims/{claim_id}/settlement", "/v1/claims//settlement", p));
  CHECK(!match_pattern("/v1/claims/{claim_id}/settlement", "/v1/claims/HB-1/settlement/", p));
  CHECK(!match_pattern("/v1/claims/{claim_id}/settlement", "/v1/claims/HB-1", p));
  CHECK(!match_pattern("/v1/claims", "/v1/claimsX", p));
  CHECK(!match_pattern("/v1/claims", "v1/claims", p));
  CHECK(match_pattern("/healthz", "/healthz", p));
  CHECK(p.empty());
}

TEST_CASE("the route table has one entry per method and pattern") {
  std::set<std::pair<std::string, std::string>> seen;
  for (const Route& r : route_table()) {
    CHECK(seen.emplace(std::string(http::to_string(r.method)), std::string(r.pattern)).second);
    CHECK((r.handler != nullptr));
  }
  CHECK(seen.size() == route_table().size());
}

TEST_CASE("query_param: decoding and integers") {
  CHECK(query_param("from_seq=5&limit=10", "limit") == "10");
  CHECK(query_param("a=%41%2f+b", "a") == "A/ b");
  CHECK(query_param("a=%4", "a") == std::nullopt);
  CHECK(query_param("limit", "limit") == "");
  CHECK(query_param("x=1", "limit") == std::nullopt);
  CHECK(parse_u64("18446744073709551") == 18446744073709551ull);
  CHECK(parse_u64("") == std::nullopt);
  CHECK(parse_u64("-1") == std::nullopt);
  CHECK(parse_u64("+1") == std::nullopt);
  CHECK(parse_u64("12345678901234567890") == std::nullopt);
}

TEST_CASE("problem_response: RFC 9457 members / status equal to the HTTP status") {
  Response r = problem_response(ProblemKind::invalid, "bad", {{"/months/0", "not a month"}});
  CHECK(r.result() == http::status::unprocessable_entity);
  CHECK(r[http::field::content_type] == "application/problem+json");
  auto body = boost::json::parse(r.body());
  CHECK(body.at("status") == 422);
  CHECK(body.at("type") == "urn:subsidy:problem:invalid");
  CHECK(body.at("title") == "Unprocessable Entity");
  CHECK(body.at("errors").at(0).at("pointer") == "/months/0");
}

}  // namespace subsidy::api::test
