#include "engine/claim_parser.h"

#include "engine/json_reader.h"

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <vector>

using namespace subsidy;
namespace json = boost::json;

namespace {

// Valid check characters, computed for these tests (the published vectors are in identity_test).
constexpr const char* id_a = "411202199001011230";
constexpr const char* id_b = "411202198506150020";
constexpr const char* id_c = "411202200002290038";
constexpr const char* id_bad_check = "411202199001011231";
constexpr const char* credit_enterprise = "91411202MA44ABCD1X";
constexpr const char* credit_institution = "52411202MJ1234567J";

json::value work_for_training() {
  return json::parse(R"({
    "claim_id": "HB-2020-000123",
    "program": "work_for_training",
    "submitted_on": "2020-07-15",
    "entity": {"credit_code": "91411202MA44ABCD1X", "name": "三门峡湖滨制衣有限公司",
               "type": "enterprise", "insured": true},
    "person": {"id_number": "411202199001011230", "name": "张三", "categories": ["poor_laborer"]},
    "employment": {"start": "2019-10-08", "end": null},
    "months": ["2020-03", "2020-01", "2020-02"],
    "evidence": [{"kind": "roster", "ref": "HB-ROSTER-2020-07-0031"},
                 {"kind": "labour_contract", "ref": "LC-2019-1008-17"},
                 {"kind": "wage_records", "ref": "WG-2020-Q1-17",
                  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]
  })");
}

json::value pre_job_training() {
  return json::parse(R"({
    "claim_id": "HB-2020-PJ-7",
    "program": "pre_job_training",
    "submitted_on": "2020-05-20",
    "entity": {"credit_code": "91411202MA44ABCD1X", "name": "湖滨制衣", "type": "enterprise"},
    "person": {"id_number": "411202198506150020", "name": "李四",
               "categories": ["employment_difficult", "rural_migrant"]},
    "employment": {"start": "2020-03-01"},
    "project": {"code": "HB-PRJ.2020_01"},
    "training": {"start": "2020-03-02", "end": "2020-03-31"},
    "evidence": []
  })");
}

json::value project_training() {
  return json::parse(R"({
    "claim_id": "HB-2020-PT-1",
    "program": "project_training",
    "submitted_on": "2020-06-01",
    "entity": {"credit_code": "52411202MJ1234567J", "name": "湖滨职业培训学校",
               "type": "training_institution"},
    "project": {"code": "ELEC-01", "start": "2020-06-10", "end": "2020-07-10"},
    "trainees": [
      {"id_number": "411202199001011230", "name": "张三", "categories": ["veteran"]},
      {"id_number": "411202200002290038", "name": "王五", "categories": ["disabled", "other"]}
    ],
    "evidence": [{"kind": "class_plan", "ref": "CP-1"}, {"kind": "roster", "ref": "R-1"}]
  })");
}

json::value settlement() {
  return json::parse(R"({
    "settled_on": "2020-09-30",
    "results": [{"id_number": "411202199001011230", "passed": true},
                {"id_number": "411202200002290038", "passed": false}],
    "evidence": [{"kind": "assessment_results", "ref": "AR-1"}, {"kind": "attendance", "ref": "AT-1"}]
  })");
}

Problems problems_of(const std::variant<Claim, Problems>& result) {
  if (std::holds_alternative<Claim>(result)) return {};
  return std::get<Problems>(result);
}
Problems problems_of(const std::variant<SettlementRequest, Problems>& result) {
  if (std::holds_alternative<SettlementRequest>(result)) return {};
  return std::get<Problems>(result);
}

std::vector<std::string> sorted_pointers(const Problems& problems) {
  std::vector<std::string> pointers;
  for (const auto& p : problems) pointers.push_back(p.pointer);
  std::sort(pointers.begin(), pointers.end());
  return pointers;
}

std::vector<std::string> sorted(std::initializer_list<std::string> pointers) {
  std::vector<std::string> out(pointers);
  std::sort(out.begin(), out.end());
  return out;
}

// The message of the only problem at `pointer`; "" when there is none, "<several>" if more.
std::string message_at(const Problems& problems, std::string_view pointer) {
  std::string found;
  int count = 0;
  for (const auto& p : problems) {
    if (p.pointer == pointer) found = p.message, ++count;
  }
  return count > 1 ? "<several>" : found;
}

Claim valid_claim(const json::value& document) {
  auto result = parse_claim(document);
  for (const auto& p : problems_of(result)) INFO(p.pointer, ": ", p.message);
  REQUIRE(std::holds_alternative<Claim>(result));
  return std::get<Claim>(result);
}

json::object& at(json::value& doc, std::string_view key) { return doc.at(key).as_object(); }

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

}  // namespace

TEST_CASE("a valid work_for_training claim") {
  Claim claim = valid_claim(work_for_training());
  CHECK(claim.claim_id == "HB-2020-000123");
  CHECK(claim.program == Program::work_for_training);
  CHECK(format_date(claim.submitted_on) == "2020-07-15");
  CHECK(claim.entity.credit_code.view() == credit_enterprise);
  CHECK(claim.entity.name == "三门峡湖滨制衣有限公司");
  CHECK(claim.entity.type == EntityType::enterprise);
  CHECK(claim.entity.insured);
  REQUIRE(claim.person.has_value());
  CHECK(claim.person->id_number.view() == id_a);
  CHECK(claim.person->name == "张三");
  CHECK(claim.person->categories.contains(Category::poor_laborer));
  CHECK_FALSE(claim.person->categories.contains(Category::other));
  REQUIRE(claim.employment.has_value());
  CHECK(format_date(claim.employment->start) == "2019-10-08");
  CHECK_FALSE(claim.employment->end.has_value());
  // Months come sorted whatever the order given.
  REQUIRE(claim.months.size() == 3);
  CHECK(claim.months[0].to_string() == "2020-01");
  CHECK(claim.months[2].to_string() == "2020-03");
  CHECK_FALSE(claim.project.has_value());
  CHECK_FALSE(claim.training.has_value());
  CHECK(claim.trainees.empty());
  REQUIRE(claim.evidence.size() == 3);
  CHECK(claim.evidence[2].kind == EvidenceKind::wage_records);
  CHECK(claim.evidence[2].ref == "WG-2020-Q1-17");
  CHECK(claim.evidence[2].sha256 ==
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
  CHECK_FALSE(claim.evidence[0].sha256.has_value());
  CHECK(claim.evidence_kinds.contains(EvidenceKind::roster));
  CHECK(claim.evidence_kinds.contains(EvidenceKind::labour_contract));
  CHECK(claim.evidence_kinds.contains(EvidenceKind::wage_records));
  CHECK_FALSE(claim.evidence_kinds.contains(EvidenceKind::social_insurance));
}

TEST_CASE("a valid pre_job_training claim") {
  Claim claim = valid_claim(pre_job_training());
  CHECK(claim.program == Program::pre_job_training);
  CHECK_FALSE(claim.entity.insured);  // absent means false
  REQUIRE(claim.person.has_value());
  CHECK(claim.person->categories.contains(Category::employment_difficult));
  CHECK(claim.person->categories.contains(Category::rural_migrant));
  REQUIRE(claim.employment.has_value());
  CHECK_FALSE(claim.employment->end.has_value());  // absent like null
  REQUIRE(claim.project.has_value());
  CHECK(claim.project->code == "HB-PRJ.2020_01");
  CHECK_FALSE(claim.project->period.has_value());
  REQUIRE(claim.training.has_value());
  CHECK(format_date(claim.training->start) == "2020-03-02");
  CHECK(format_date(claim.training->end) == "2020-03-31");
  CHECK(claim.months.empty());
  CHECK(claim.evidence.empty());
  CHECK(claim.evidence_kinds.empty());
}

TEST_CASE("a valid project_training claim") {
  Claim claim = valid_claim(project_training());
  CHECK(claim.program == Program::project_training);
  CHECK(claim.entity.type == EntityType::training_institution);
  CHECK(claim.entity.credit_code.view() == credit_institution);
  CHECK_FALSE(claim.person.has_value());
  CHECK_FALSE(claim.employment.has_value());
  REQUIRE(claim.project.has_value());
  REQUIRE(claim.project->period.has_value());
  CHECK(format_date(claim.project->period->start) == "2020-06-10");
  CHECK(format_date(claim.project->period->end) == "2020-07-10");
  REQUIRE(claim.trainees.size() == 2);  // in the order given
  CHECK(claim.trainees[0].id_number.view() == id_a);
  CHECK(claim.trainees[1].id_number.view() == id_c);
  CHECK(claim.trainees[1].categories.contains(Category::disabled));
  CHECK(claim.trainees[1].categories.contains(Category::other));
  CHECK(claim.evidence_kinds.contains(EvidenceKind::class_plan));
}

TEST_CASE("the published check vectors are accepted in a claim") {
  json::value doc = work_for_training();
  at(doc, "person")["id_number"] = "11010519491231002X";
  at(doc, "entity")["credit_code"] = "91350100M000100Y43";
  CHECK(valid_claim(doc).person->id_number.view() == "11010519491231002X");
  at(doc, "person")["id_number"] = "440524188001010014";  // born in 1880
  at(doc, "entity")["credit_code"] = "91110000600037341L";
  CHECK(valid_claim(doc).entity.credit_code.view() == "91110000600037341L");
}

TEST_CASE("a document with three problems yields exactly those three pointers") {
  json::value doc = work_for_training();
  at(doc, "person")["id_number"] = id_bad_check;
  doc.as_object()["submitted_on"] = "2019-02-29";
  at(doc, "entity")["type"] = "company";
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/person/id_number", "/submitted_on", "/entity/type"}));
  CHECK(message_at(problems, "/person/id_number") == "check character is wrong");
  CHECK(message_at(problems, "/submitted_on") == "is not a real calendar date");
  CHECK(message_at(problems, "/entity/type") ==
        "unknown entity type \"company\" (allowed: enterprise, farmer_cooperative, "
        "poverty_workshop, other_business_entity, training_institution)");
}

TEST_CASE("a document that is not an object") {
  for (const char* text : {"[]", "null", "\"claim\"", "42"}) {
    Problems problems = problems_of(parse_claim(json::parse(text)));
    REQUIRE(problems.size() == 1);
    CHECK(problems[0] == Problem{"", "must be an object"});
    CHECK(problems_of(parse_settlement(json::parse(text))).size() == 1);
  }
}

TEST_CASE("missing required fields are each reported") {
  Problems problems = problems_of(parse_claim(json::parse("{}")));
  // Without a program, no program-specific part can be required.
  CHECK(sorted_pointers(problems) ==
        sorted({"/claim_id", "/program", "/submitted_on", "/entity", "/evidence"}));
  for (const auto& p : problems) CHECK(p.message == "is required");

  json::value doc = work_for_training();
  at(doc, "entity").erase("credit_code");
  at(doc, "person").erase("categories");
  at(doc, "employment").erase("start");
  doc.as_object().erase("evidence");
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) ==
        sorted({"/entity/credit_code", "/person/categories", "/employment/start", "/evidence"}));
}

TEST_CASE("wrong types are reported at their pointers") {
  json::value doc = work_for_training();
  auto& root = doc.as_object();
  root["claim_id"] = 123;
  root["months"] = "2020-01";
  at(doc, "entity")["insured"] = "yes";
  at(doc, "person")["name"] = json::array{"张三"};
  at(doc, "employment")["start"] = nullptr;
  root["evidence"].as_array()[0] = "roster";
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/claim_id", "/months", "/entity/insured",
                                             "/person/name", "/employment/start", "/evidence/0"}));
  CHECK(message_at(problems, "/claim_id") == "must be a string");
  CHECK(message_at(problems, "/months") == "must be an array");
  CHECK(message_at(problems, "/entity/insured") == "must be true or false");
  CHECK(message_at(problems, "/employment/start") == "must be a string");
  CHECK(message_at(problems, "/evidence/0") == "must be an object");

  doc = work_for_training();
  doc.as_object()["entity"] = "Hubin";
  doc.as_object()["person"] = nullptr;
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/entity", "/person"}));
}

TEST_CASE("null is absence only where the contract says so") {
  json::value doc = work_for_training();
  at(doc, "entity")["insured"] = nullptr;
  doc.as_object()["evidence"].as_array()[0].as_object()["sha256"] = nullptr;
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) ==
        sorted({"/entity/insured", "/evidence/0/sha256"}));
}

TEST_CASE("unknown fields are reported at every level") {
  json::value doc = work_for_training();
  doc.as_object()["month"] = json::array{"2020-04"};
  at(doc, "entity")["address"] = "湖滨区";
  at(doc, "person")["gender"] = "f";
  at(doc, "employment")["end_date"] = "2020-06-30";
  doc.as_object()["evidence"].as_array()[1].as_object()["sha1"] = "x";
  doc.as_object()["a/b~c"] = 1;
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/month", "/entity/address", "/person/gender", "/employment/end_date",
                "/evidence/1/sha1", "/a~1b~0c"}));
  for (const auto& p : problems) CHECK(p.message == "unknown field");

  doc = project_training();
  doc.as_object()["trainees"].as_array()[1].as_object()["age"] = 30;
  at(doc, "project")["name"] = "电工";
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) ==
        sorted({"/trainees/1/age", "/project/name"}));

  doc = pre_job_training();
  at(doc, "training")["hours"] = 40;
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/training/hours"}));
}

TEST_CASE("unknown vocabulary values list the allowed ones") {
  json::value doc = work_for_training();
  doc.as_object()["program"] = "wft";
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/program"}));
  CHECK(message_at(problems, "/program") ==
        "unknown program \"wft\" (allowed: work_for_training, pre_job_training, project_training)");

  doc = work_for_training();
  at(doc, "person")["categories"] = json::array{"poor_laborer", "poor", 7};
  doc.as_object()["evidence"].as_array()[0].as_object()["kind"] = "photo";
  problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/person/categories/1", "/person/categories/2", "/evidence/0/kind"}));
  CHECK(message_at(problems, "/person/categories/1")
            .rfind("unknown category \"poor\" (allowed: "
                   "poor_laborer, employment_difficult, ",
                   0) == 0);
  CHECK(message_at(problems, "/person/categories/2") == "must be a string");
  CHECK(message_at(problems, "/evidence/0/kind") ==
        "unknown evidence kind \"photo\" (allowed: roster, labour_contract, wage_records, "
        "social_insurance, training_record, class_plan, assessment_results, attendance, other)");
}

TEST_CASE("a very long unknown value is not echoed back") {
  json::value doc = work_for_training();
  doc.as_object()["program"] = std::string(1000, 'w');
  CHECK(message_at(problems_of(parse_claim(doc)), "/program") ==
        "unknown program (allowed: work_for_training, pre_job_training, project_training)");
}

TEST_CASE("dates must be real calendar days in the form YYYY-MM-DD") {
  auto problem_for = [](json::value date) {
    json::value doc = work_for_training();
    doc.as_object()["submitted_on"] = date;
    return message_at(problems_of(parse_claim(doc)), "/submitted_on");
  };
  CHECK(problem_for("2020-02-29") == "");
  CHECK(problem_for("2019-02-29") == "is not a real calendar date");
  CHECK(problem_for("2020-04-31") == "is not a real calendar date");
  CHECK(problem_for("2020-13-01") == "is not a real calendar date");
  CHECK(problem_for("2020-00-10") == "is not a real calendar date");
  CHECK(problem_for("2020/07/15") == "must be a date in the form YYYY-MM-DD");
  CHECK(problem_for("2020-7-15") == "must be a date in the form YYYY-MM-DD");
  CHECK(problem_for("2020-07-15T00:00:00Z") == "must be a date in the form YYYY-MM-DD");
  CHECK(problem_for("") == "must be a date in the form YYYY-MM-DD");
  CHECK(problem_for("1899-12-31") == "year must be between 1900 and 2999");
  CHECK(problem_for(20200715) == "must be a string");
}

TEST_CASE("months must be YYYY-MM, 1 to 24 of them, none twice") {
  json::value doc = work_for_training();
  doc.as_object()["months"] =
      json::array{"2020-01", "2020-13", "2020-1", "2020-01", "2020-02-01", "1800-01"};
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/months/1", "/months/2", "/months/3", "/months/4", "/months/5"}));
  CHECK(message_at(problems, "/months/1") == "month must be between 01 and 12");
  CHECK(message_at(problems, "/months/2") == "must be a month in the form YYYY-MM");
  CHECK(message_at(problems, "/months/3") == "2020-01 is given twice");
  CHECK(message_at(problems, "/months/4") == "must be a month in the form YYYY-MM");
  CHECK(message_at(problems, "/months/5") == "year must be between 1900 and 2999");

  doc.as_object()["months"] = json::array{};
  problems = problems_of(parse_claim(doc));
  CHECK(problems == Problems{{"/months", "must have at least 1 item"}});

  json::array months;
  for (int i = 0; i < 25; ++i)
    months.push_back(json::value(Month::from_index(24240 + i).to_string()));
  doc.as_object()["months"] = months;
  problems = problems_of(parse_claim(doc));
  CHECK(problems == Problems{{"/months", "must have at most 24 items"}});

  months.pop_back();
  doc.as_object()["months"] = months;
  CHECK(valid_claim(doc).months.size() == 24);
}

TEST_CASE("claim_id is 1-64 characters of A-Z a-z 0-9 . _ -") {
  auto problem_for = [](std::string id) {
    json::value doc = work_for_training();
    doc.as_object()["claim_id"] = id;
    return message_at(problems_of(parse_claim(doc)), "/claim_id");
  };
  const std::string message = "must be 1-64 characters of A-Z a-z 0-9 . _ -";
  CHECK(problem_for("a.B_9-z") == "");
  CHECK(problem_for(std::string(64, 'x')) == "");
  CHECK(problem_for(std::string(65, 'x')) == message);
  CHECK(problem_for("") == message);
  CHECK(problem_for("HB 2020") == message);
  CHECK(problem_for("HB/2020") == message);
  CHECK(problem_for("湖滨-1") == message);
}

TEST_CASE("resident IDs and credit codes need a right check character") {
  json::value doc = project_training();
  doc.as_object()["trainees"].as_array()[1].as_object()["id_number"] = "41120220000229003x";
  at(doc, "entity")["credit_code"] = "52411202MJ1234567K";
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/trainees/1/id_number", "/entity/credit_code"}));
  CHECK(message_at(problems, "/trainees/1/id_number") ==
        "check character must be an uppercase 'X'");
  CHECK(message_at(problems, "/entity/credit_code") == "check character is wrong");

  doc = work_for_training();
  at(doc, "person")["id_number"] = "411202199002301234";
  at(doc, "entity")["credit_code"] = "91411202MA44ABCD1";
  problems = problems_of(parse_claim(doc));
  CHECK(message_at(problems, "/person/id_number") == "birth date in the number is not a real date");
  CHECK(message_at(problems, "/entity/credit_code") == "must be 18 characters");
}

TEST_CASE("names are 1 to 300 bytes of UTF-8") {
  json::value doc = work_for_training();
  at(doc, "person")["name"] = repeat("张", 100);  // 300 bytes
  at(doc, "entity")["name"] = std::string(300, 'a');
  CHECK(valid_claim(doc).person->name.size() == 300);

  at(doc, "person")["name"] = repeat("张", 100) + "a";
  at(doc, "entity")["name"] = "";
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/person/name", "/entity/name"}));
  CHECK(message_at(problems, "/person/name") == "must be at most 300 bytes of UTF-8");
  CHECK(message_at(problems, "/entity/name") == "must not be empty");

  at(doc, "person")["name"] = "张\n三";
  at(doc, "entity")["name"] = "ok";
  CHECK(message_at(problems_of(parse_claim(doc)), "/person/name") ==
        "must not contain control characters");
}

TEST_CASE("evidence: 0 to 64 items, refs of 1 to 128 characters, sha256 as lowercase hex") {
  json::value doc = work_for_training();
  auto& evidence = doc.as_object()["evidence"].as_array();
  evidence[0].as_object()["ref"] = repeat("档", 128);  // characters, not bytes
  CHECK(valid_claim(doc).evidence[0].ref.size() == 384);

  evidence[0].as_object()["ref"] = std::string(129, 'r');
  evidence[1].as_object()["ref"] = "";
  evidence[2].as_object()["sha256"] =
      "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08";
  evidence.push_back(json::parse(R"({"kind": "other", "ref": "X", "sha256": "abc"})"));
  evidence.push_back(json::parse(R"({"ref": "X"})"));
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/evidence/0/ref", "/evidence/1/ref", "/evidence/2/sha256", "/evidence/3/sha256",
                "/evidence/4/kind"}));
  CHECK(message_at(problems, "/evidence/0/ref") == "must be at most 128 characters");
  CHECK(message_at(problems, "/evidence/2/sha256") ==
        "must be 64 lowercase hexadecimal characters");
  CHECK(message_at(problems, "/evidence/4/kind") == "is required");

  json::array many;
  for (int i = 0; i < 65; ++i) many.push_back(json::parse(R"({"kind": "other", "ref": "X"})"));
  doc.as_object()["evidence"] = many;
  CHECK(problems_of(parse_claim(doc)) == Problems{{"/evidence", "must have at most 64 items"}});
  many.pop_back();
  doc.as_object()["evidence"] = many;
  CHECK(valid_claim(doc).evidence.size() == 64);
}

TEST_CASE("categories: at least one, none twice") {
  json::value doc = work_for_training();
  at(doc, "person")["categories"] = json::array{};
  CHECK(problems_of(parse_claim(doc)) ==
        Problems{{"/person/categories", "must have at least 1 item"}});

  at(doc, "person")["categories"] = json::array{"poor_laborer", "veteran", "poor_laborer"};
  CHECK(problems_of(parse_claim(doc)) ==
        Problems{{"/person/categories/2", "poor_laborer is given twice"}});
}

TEST_CASE("end dates must not be before start dates") {
  json::value doc = work_for_training();
  at(doc, "employment")["end"] = "2019-10-07";
  CHECK(problems_of(parse_claim(doc)) ==
        Problems{{"/employment/end", "must not be before start (2019-10-08)"}});
  at(doc, "employment")["end"] = "2019-10-08";  // one day is a period
  CHECK(valid_claim(doc).employment->end.has_value());

  doc = pre_job_training();
  at(doc, "training")["end"] = "2020-03-01";
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/training/end"}));

  doc = project_training();
  at(doc, "project")["start"] = "2020-07-11";
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/project/end"}));
}

TEST_CASE("work_for_training: person, employment and months required - no class parts") {
  json::value doc = work_for_training();
  doc.as_object().erase("person");
  doc.as_object().erase("employment");
  doc.as_object().erase("months");
  doc.as_object()["project"] = json::parse(R"({"code": "X"})");
  doc.as_object()["training"] = json::parse(R"({"start": "2020-01-01", "end": "2020-01-02"})");
  doc.as_object()["trainees"] = json::array{};
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/person", "/employment", "/months", "/project", "/training", "/trainees"}));
  CHECK(message_at(problems, "/person") == "is required");
  CHECK(message_at(problems, "/project") == "not allowed for work_for_training");
}

TEST_CASE("pre_job_training: project code and training required - no months or trainees") {
  json::value doc = pre_job_training();
  doc.as_object().erase("project");
  doc.as_object().erase("training");
  doc.as_object()["months"] = json::array{"2020-03"};
  doc.as_object()["trainees"] = json::array{};
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/project", "/training", "/months", "/trainees"}));
  CHECK(message_at(problems, "/months") == "not allowed for pre_job_training");

  doc = pre_job_training();
  at(doc, "project")["start"] = "2020-03-02";
  at(doc, "project")["end"] = "2020-03-31";
  at(doc, "training").erase("end");
  problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/project/start", "/project/end", "/training/end"}));
  CHECK(message_at(problems, "/project/start") ==
        "not allowed for pre_job_training (see /training)");

  doc = pre_job_training();
  doc.as_object().erase("person");
  doc.as_object().erase("employment");
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/person", "/employment"}));
}

TEST_CASE("project_training: project with dates and trainees - no person parts") {
  json::value doc = project_training();
  at(doc, "project").erase("start");
  at(doc, "project").erase("end");
  doc.as_object().erase("trainees");
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/project/start", "/project/end", "/trainees"}));

  doc = project_training();
  auto& root = doc.as_object();
  root["person"] = work_for_training().at("person");
  root["employment"] = work_for_training().at("employment");
  root["months"] = json::array{"2020-06"};
  root["training"] = json::parse(R"({"start": "2020-01-01", "end": "2020-01-02"})");
  problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/person", "/employment", "/months", "/training"}));
  for (const auto& p : problems) CHECK(p.message == "not allowed for project_training");

  doc = project_training();
  at(doc, "project")["code"] = "ELEC 01";
  CHECK(message_at(problems_of(parse_claim(doc)), "/project/code") ==
        "must be 1-32 characters of A-Z a-z 0-9 . _ -");
  at(doc, "project")["code"] = std::string(33, 'C');
  CHECK(sorted_pointers(problems_of(parse_claim(doc))) == sorted({"/project/code"}));
}

TEST_CASE("trainees: 1 to 500, each id_number once") {
  json::value doc = project_training();
  auto& trainees = doc.as_object()["trainees"].as_array();
  trainees.push_back(json::parse(R"({"id_number": "411202199001011230", "name": "张三",
                                     "categories": ["veteran"]})"));
  trainees.push_back(json::parse(R"({"id_number": "411202200002290038", "name": "重名",
                                     "categories": []})"));
  trainees.push_back(json::value("x"));
  Problems problems = problems_of(parse_claim(doc));
  // The fourth repeats an id and has no category: both are reported.
  CHECK(sorted_pointers(problems) == sorted({"/trainees/2/id_number", "/trainees/3/id_number",
                                             "/trainees/3/categories", "/trainees/4"}));
  CHECK(message_at(problems, "/trainees/2/id_number") ==
        "given twice (first at /trainees/0/id_number)");
  CHECK(message_at(problems, "/trainees/3/id_number") ==
        "given twice (first at /trainees/1/id_number)");

  doc.as_object()["trainees"] = json::array{};
  CHECK(problems_of(parse_claim(doc)) == Problems{{"/trainees", "must have at least 1 item"}});

  // 501 distinct, valid people: refused on the count alone.
  json::array many;
  for (int i = 0; i < 501; ++i) {
    many.push_back(
        json::object{{"id_number", id_a}, {"name", "x"}, {"categories", json::array{"veteran"}}});
  }
  doc.as_object()["trainees"] = many;
  CHECK(problems_of(parse_claim(doc)) == Problems{{"/trainees", "must have at most 500 items"}});
}

TEST_CASE("a missing or unknown program still checks the parts that are there") {
  json::value doc = work_for_training();
  doc.as_object().erase("program");
  at(doc, "person")["id_number"] = id_bad_check;
  doc.as_object()["trainees"] = json::array{json::object{{"id_number", id_b}}};
  doc.as_object()["project"] =
      json::parse(R"({"code": "P", "start": "2020-01-02", "end": "2020-01-01"})");
  Problems problems = problems_of(parse_claim(doc));
  CHECK(sorted_pointers(problems) == sorted({"/program", "/person/id_number", "/trainees/0/name",
                                             "/trainees/0/categories", "/project/end"}));
}

TEST_CASE("the list of problems is bounded") {
  json::value doc = work_for_training();
  for (int i = 0; i < 150; ++i) doc.as_object()["x" + std::to_string(i)] = i;
  Problems problems = problems_of(parse_claim(doc));
  REQUIRE(problems.size() == claim_problems_max + 1);
  CHECK(problems.back() == Problem{"", "and 50 more problems"});
}

TEST_CASE("a claim read from text with read_json") {
  auto value = read_json(R"({"claim_id": "A", "program": "project_training",
    "submitted_on": "2020-06-01", "evidence": [], "trainees": [],
    "entity": {"credit_code": "52411202MJ1234567J", "name": "校", "type": "school"}})");
  REQUIRE(std::holds_alternative<json::value>(value));
  Problems problems = problems_of(parse_claim(std::get<json::value>(value)));
  CHECK(sorted_pointers(problems) == sorted({"/entity/type", "/project", "/trainees"}));
}

TEST_CASE("a valid settlement") {
  auto result = parse_settlement(settlement());
  REQUIRE(std::holds_alternative<SettlementRequest>(result));
  const auto& s = std::get<SettlementRequest>(result);
  CHECK(format_date(s.settled_on) == "2020-09-30");
  REQUIRE(s.results.size() == 2);
  CHECK(s.results[0].id_number.view() == id_a);
  CHECK(s.results[0].passed);
  CHECK_FALSE(s.results[1].passed);
  CHECK(s.evidence.size() == 2);
  CHECK(s.evidence_kinds.contains(EvidenceKind::assessment_results));
  CHECK(s.evidence_kinds.contains(EvidenceKind::attendance));
}

TEST_CASE("an invalid settlement lists every problem") {
  CHECK(sorted_pointers(problems_of(parse_settlement(json::parse("{}")))) ==
        sorted({"/settled_on", "/results", "/evidence"}));

  json::value doc = settlement();
  auto& results = doc.as_object()["results"].as_array();
  results.push_back(json::object{{"id_number", id_a}, {"passed", false}});
  results.push_back(json::object{{"id_number", id_b}, {"passed", "yes"}, {"score", 90}});
  results.push_back(json::object{{"passed", true}});
  doc.as_object()["settled_on"] = "2020-09-31";
  doc.as_object()["evidence"].as_array()[1].as_object()["kind"] = "attendence";
  doc.as_object()["claim_id"] = "HB-1";
  Problems problems = problems_of(parse_settlement(doc));
  CHECK(sorted_pointers(problems) ==
        sorted({"/results/2/id_number", "/results/3/passed", "/results/3/score",
                "/results/4/id_number", "/settled_on", "/evidence/1/kind", "/claim_id"}));
  CHECK(message_at(problems, "/results/2/id_number") ==
        "given twice (first at /results/0/id_number)");
  CHECK(message_at(problems, "/results/4/id_number") == "is required");

  doc = settlement();
  doc.as_object()["results"] = json::array{};
  CHECK(problems_of(parse_settlement(doc)) == Problems{{"/results", "must have at least 1 item"}});
  json::array many;
  for (int i = 0; i < 501; ++i) many.push_back(json::object{{"id_number", id_a}, {"passed", true}});
  doc.as_object()["results"] = many;
  CHECK(problems_of(parse_settlement(doc)) ==
        Problems{{"/results", "must have at most 500 items"}});
}
