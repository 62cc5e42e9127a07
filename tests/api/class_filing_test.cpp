// POST /v1/classes and GET /v1/classes/{class_id} over HTTP with the real pipeline
// (real_server.h): a filing is logged and answered with its seq, the same filing again with the
// first answer, another filing under its class_id is a conflict; an institution files and reads
// only its own classes; and a project_training claim is decided against the filing it names.

#include "http_client.h"
#include "real_server.h"
#include "store/log_store.h"
#include "store/record_format.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <set>
#include <string>

namespace subsidy::api::test {

namespace {

namespace json = boost::json;

constexpr const char* classes = "/v1/classes";
constexpr const char* school = "52411202MA44D0004E";
constexpr const char* other_institution = "12411202MA44E0005D";
const std::vector<std::string> class_filing_on = {"tests/data/rulesets/class-filing-2020-01.ruleset.json"};

// HB-CL-2020-0007 filed on Monday 2020-06-29, 10 working days before Monday 2020-07-13, with 王五.
json::object filing(const std::string& credit_code = school, const std::string& class_id = "HB-CL-2020-0007") {
  return json::object{{"class_id", class_id},
                      {"credit_code", credit_code},
                      {"project_code", "HB-PJ-CARE-01"},
                      {"start", "2020-07-13"},
                      {"end", "2020-08-11"},
                      {"hours", 120},
                      {"filed_on", "2020-06-29"},
                      {"roster", json::array{json::object{{"id_number", "411202199207203350"}, {"name", "王五"}}}}};
}

Reply post(const RealServer& server, const json::value& body, const std::string& token) {
  return request(server.port(), http::verb::post, classes, token, json::serialize(body));
}

std::set<std::string> pointers_of(const Reply& r) {
  std::set<std::string> out;
  json::value body = r.json();
  for (const auto& e : body.at("errors").as_array()) out.insert(std::string(e.at("pointer").as_string()));
  return out;
}

std::size_t logged_count(const RealServer& server) {
  auto log = store::LogStore::open(server.url());
  REQUIRE(log.ok());
  auto records = log.value()->read(1, store::record_format::read_records_max);
  REQUIRE(records.ok());
  return records.value().size();
}

}  // namespace

TEST_CASE("class filing over HTTP: 201 with the seq, the same filing 200, another under its class_id 409") {
  RealServer server;
  Reply first = post(server, filing(), server.institution());
  REQUIRE_MESSAGE(first.status == 201, first.body);
  json::value created = first.json();
  CHECK(created.at("seq") == 1);
  CHECK(created.at("class_id") == "HB-CL-2020-0007");
  CHECK(created.at("roster").as_array().size() == 1);
  CHECK(created.as_object().contains("decided_at"));

  Reply again = post(server, filing(), server.clerk());
  REQUIRE_MESSAGE(again.status == 200, again.body);
  CHECK(again.json() == created);

  json::object changed = filing();
  changed["hours"] = 96;
  Reply conflict = post(server, changed, server.institution());
  CHECK(conflict.status == 409);
  CHECK(conflict.header(http::field::content_type) == "application/problem+json");
  CHECK(logged_count(server) == 1);

  // The log holds one class_filing record, with the filing as posted.
  Reply log = request(server.port(), http::verb::get, "/v1/audit/log?from_seq=1&limit=1", server.auditor());
  REQUIRE(log.status == 200);
  json::value record = json::parse(log.body);
  CHECK(record.at("type") == "class_filing");
  CHECK(record.at("filing").at("hours") == 120);
}

TEST_CASE("class filing over HTTP: an institution files and reads only its own classes") {
  RealServer server;
  Reply foreign = post(server, filing(other_institution), server.institution());
  CHECK(foreign.status == 403);
  CHECK(pointers_of(foreign) == std::set<std::string>{"/credit_code"});
  CHECK(post(server, filing(), server.auditor()).status == 403);
  CHECK(post(server, filing(), server.admin()).status == 403);
  CHECK(logged_count(server) == 0);

  // A clerk files on behalf of another institution; that institution's class is not the school's.
  REQUIRE(post(server, filing(other_institution, "HB-CL-2020-0009"), server.clerk()).status == 201);
  REQUIRE(post(server, filing(), server.institution()).status == 201);

  Reply own = request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0007", server.institution());
  REQUIRE_MESSAGE(own.status == 200, own.body);
  CHECK(own.json().at("seq") == 2);
  CHECK(own.json().at("credit_code") == school);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0009", server.institution()).status == 403);
  Reply clerk = request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0009", server.clerk());
  REQUIRE(clerk.status == 200);
  CHECK(clerk.json().at("credit_code") == other_institution);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0007", server.auditor()).status == 200);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0007", server.admin()).status == 403);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/HB-CL-2099-0001", server.clerk()).status == 404);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/no%20such", server.clerk()).status == 404);
}

TEST_CASE("class filing over HTTP: a bad filing is 422 with every pointer and nothing is logged") {
  RealServer server;
  json::object bad = filing("52411202MA44D0004X");
  bad["hours"] = 0;
  bad["filed_on"] = "2020-07-14";
  bad["roster"] = json::array{};
  bad["teacher"] = "x";
  Reply refused = post(server, bad, server.clerk());
  CHECK(refused.status == 422);
  CHECK(pointers_of(refused) == std::set<std::string>{"/credit_code", "/hours", "/filed_on", "/roster", "/teacher"});
  Reply not_json = request(server.port(), http::verb::post, classes, server.clerk(), "{\"class_id\": ");
  CHECK(not_json.status == 400);
  CHECK(logged_count(server) == 0);
}

TEST_CASE("class filing over HTTP: a claim is decided against the filing its class_id names") {
  RealServer server(store::test::make_sqlite_db(), {}, class_filing_on);
  REQUIRE(request(server.port(), http::verb::put, "/v1/catalogue/institutions/52411202MA44D0004E", server.admin(),
                  R"({"name": "湖滨区职业技能培训学校", "kind": "training", "valid_from": "2019-01-01", "valid_to": null})")
              .status == 201);
  REQUIRE(request(server.port(), http::verb::put, "/v1/catalogue/projects/HB-PJ-CARE-01", server.admin(),
                  R"({"name": "养老护理员培训", "occupation": "养老护理员", "program": "project_training",
                      "standard_fen": 150001, "valid_from": "2019-01-01", "valid_to": null})")
              .status == 201);
  Reply filed = post(server, filing(), server.institution());
  REQUIRE_MESSAGE(filed.status == 201, filed.body);
  CHECK(filed.json().at("seq") == 3);

  const std::string claim = R"({"claim_id": "PT-HTTP-CF-1", "program": "project_training", "submitted_on": "2020-07-01",
      "entity": {"credit_code": "52411202MA44D0004E", "name": "湖滨区职业技能培训学校", "type": "training_institution"},
      "project": {"code": "HB-PJ-CARE-01", "start": "2020-07-13", "end": "2020-08-11", "class_id": "HB-CL-2020-0007"},
      "trainees": [{"id_number": "411202199207203350", "name": "王五", "categories": ["rural_migrant"]},
                   {"id_number": "411202198811114464", "name": "赵六", "categories": ["veteran"]}],
      "evidence": [{"kind": "class_plan", "ref": "P-1"}, {"kind": "roster", "ref": "R-1"}]})";
  Reply decided = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), claim);
  REQUIRE_MESSAGE(decided.status == 201, decided.body);
  json::value body = decided.json();
  CHECK(body.at("outcome") == "partially_approved");
  CHECK(body.at("approved_fen") == 150001);
  bool named = false;
  for (const auto& reason : body.at("reasons").as_array()) {
    if (reason.at("rule") != "sys.class_filed") continue;
    named = true;
    CHECK(reason.at("refs") == json::array{3});
    CHECK(reason.at("subjects") == json::array{"411202198811114464"});
  }
  CHECK(named);

  // The same claim with no class_id is rejected: the rule is on from 2020-01-01.
  json::value unfiled = json::parse(claim);
  unfiled.at("claim_id") = "PT-HTTP-CF-2";
  unfiled.at("project").as_object().erase("class_id");
  Reply rejected = request(server.port(), http::verb::post, "/v1/claims", server.clerk(), json::serialize(unfiled));
  REQUIRE_MESSAGE(rejected.status == 201, rejected.body);
  CHECK(rejected.json().at("outcome") == "rejected");
}

}  // namespace subsidy::api::test
