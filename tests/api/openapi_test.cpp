// schemas/openapi.json and the route table say the same thing: every route is documented with its
// method, every documented operation is routed, the token rule agrees, and the schemas of claims
// and decisions are referenced, not copied.

#include "api/routes.h"
#include "support/json_schema.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <set>

namespace subsidy::api::test {

namespace json = boost::json;

TEST_CASE("openapi.json documents exactly the routes of the table") {
  json::value doc = subsidy::testing::read_json_file(subsidy::testing::source_dir / "schemas/openapi.json");
  CHECK(doc.at("openapi") == "3.1.0");
  std::set<std::pair<std::string, std::string>> routed;
  for (const Route& r : route_table()) {
    std::string method(http::to_string(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routed.emplace(std::string(r.pattern), method);
    CAPTURE(r.pattern);
    const json::value* op = doc.at("paths").as_object().if_contains(r.pattern);
    REQUIRE(op != nullptr);
    REQUIRE(op->as_object().contains(method));
    const json::array& security = op->at(method).at("security").as_array();
    CHECK(security.empty() == !r.roles.needs_token());
    if (r.roles.needs_token()) {
      CHECK(op->at(method).at("responses").as_object().contains("401"));
      CHECK(op->at(method).at("responses").as_object().contains("403"));
    }
  }
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : doc.at("paths").as_object()) {
    for (const auto& [method, op] : item.as_object()) documented.emplace(std::string(path), std::string(method));
  }
  CHECK(documented == routed);
}

TEST_CASE("openapi.json references the claim and decision schemas rather than copying them") {
  json::value doc = subsidy::testing::read_json_file(subsidy::testing::source_dir / "schemas/openapi.json");
  std::string text = json::serialize(doc);
  CHECK(text.find(R"("$ref":"claim.schema.json")") != std::string::npos);
  CHECK(text.find(R"("$ref":"decision.schema.json")") != std::string::npos);
  CHECK(text.find(R"("$ref":"settlement.schema.json")") != std::string::npos);
  CHECK(text.find(R"("$ref":"class-filing.schema.json")") != std::string::npos);
  CHECK(text.find(R"("$ref":"registry-person.schema.json")") != std::string::npos);
  CHECK(text.find("\"id_number\"") == std::string::npos);  // no claim member copied in
}

}  // namespace subsidy::api::test
