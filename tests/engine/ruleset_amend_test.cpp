// An amending ruleset (`extends`) is merged onto its base: the test amendment raises the
// work-for-training rate from 2020-03-01 and governs from that day; the base governs before.

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/ruleset_set.h"
#include "tests/support/repo_files.h"
#include "engine/sha256.h"

using namespace subsidy;
namespace json = boost::json;

namespace {

const std::string hubin_path = "rules/hubin-2019/hubin-2019.ruleset.json";
const std::string amendment_path = "tests/data/rulesets/amend-rate-2020-03.ruleset.json";

std::string read_file(const std::string& relative) { return testing::read_repo_file(relative); }

RulesetSet load_ok(std::vector<RulesetSource> sources) {
  auto result = RulesetSet::load(std::move(sources));
  if (auto* errors = std::get_if<std::vector<RulesetLoadError>>(&result)) {
    std::string out;
    for (const auto& e : *errors) out += e.to_string() + "\n";
    FAIL(out);
  }
  return std::move(std::get<RulesetSet>(result));
}

Date d(const char* text) { return *parse_date(text); }

expr::Value rate_on(const Ruleset& rs, const char* date) {
  return rs.parameter_value(rs.parameter_index.at("wft.rate"), d(date));
}

}  // namespace

TEST_CASE("ruleset files: the test amendment loads with the Hubin file, in either order") {
  std::string amendment_text = read_file(amendment_path);
  for (bool amendment_first : {false, true}) {
    CAPTURE(amendment_first);
    std::vector<RulesetSource> sources = {{hubin_path, read_file(hubin_path)}, {amendment_path, amendment_text}};
    if (amendment_first) std::swap(sources[0], sources[1]);
    RulesetSet set = load_ok(std::move(sources));
    REQUIRE(set.all().size() == 2);
    CHECK(set.all()[0]->id == "hubin-2019");
    CHECK(set.all()[1]->id == "amend-rate-2020-03");
    const Ruleset* amendment = set.find("amend-rate-2020-03");
    CHECK(amendment->extends == "hubin-2019");
    CHECK(amendment->base == set.find("hubin-2019"));
    CHECK(amendment->version == "0.1.0");
    CHECK(amendment->file_name == amendment_path);
    CHECK(amendment->text == amendment_text);
    CHECK(amendment->sha256 == sha256_hex(amendment_text));
    CHECK(amendment->effective_from == d("2020-03-01"));
    CHECK(amendment->effective_to == d("2021-12-31"));
    CHECK(amendment->effective_source.clause == "测试修订");
  }
}

TEST_CASE("ruleset files: governing picks the base before 2020-03-01 and the amendment from that day") {
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}, {amendment_path, read_file(amendment_path)}});
  CHECK(set.governing(d("2019-09-06")) == nullptr);
  CHECK(set.governing(d("2019-09-07"))->id == "hubin-2019");
  CHECK(set.governing(d("2020-02-29"))->id == "hubin-2019");
  CHECK(set.governing(d("2020-03-01"))->id == "amend-rate-2020-03");
  CHECK(set.governing(d("2021-12-31"))->id == "amend-rate-2020-03");
  CHECK(set.governing(d("2022-01-01")) == nullptr);
  CHECK(set.nearest(d("2019-01-01"))->id == "hubin-2019");
  CHECK(set.nearest(d("2022-06-01"))->id == "hubin-2019");  // both end 2021-12-31: the earlier
}

TEST_CASE("the merged ruleset has the base's rules and parameters with the amendment's dated value") {
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}, {amendment_path, read_file(amendment_path)}});
  const Ruleset& base = *set.find("hubin-2019");
  const Ruleset& amended = *set.find("amend-rate-2020-03");
  CHECK(rate_on(base, "2020-03-01") == 20000);
  CHECK(rate_on(amended, "2020-02-29") == 20000);
  CHECK(rate_on(amended, "2020-03-01") == 30000);
  CHECK(rate_on(amended, "2021-12-31") == 30000);
  const Parameter& rate = *amended.find_parameter("wft.rate");
  REQUIRE(rate.values.size() == 2);
  CHECK(rate.type == expr::Type{expr::BaseType::fen});
  CHECK(rate.description == "以工代训补贴标准");
  CHECK(rate.values[1].source.clause == "测试修订");
  CHECK(rate.values[1].note.starts_with("Test amendment"));

  CHECK(amended.parameters.size() == base.parameters.size());
  CHECK(amended.rules.size() == base.rules.size());
  CHECK(amended.definitions == base.definitions);
  CHECK(amended.targets.size() == base.targets.size());
  REQUIRE(amended.no_policy != nullptr);
  CHECK(amended.rules_for(Program::work_for_training, RulePhase::initial).amount->id == "wft.rate");
  // The amended ruleset's rules are its own, compiled against its own parameters.
  CHECK(amended.rules_for(Program::work_for_training, RulePhase::initial).amount !=
        base.rules_for(Program::work_for_training, RulePhase::initial).amount);
}

TEST_CASE(
    "ruleset files: an amendment rule with the same id and programs replaces the base rule in place; others are "
    "appended") {
  json::value amendment = json::parse(read_file(amendment_path));
  json::value hubin = json::parse(read_file(hubin_path));
  json::array base_rules = hubin.at("rules").as_array();
  json::value cap = base_rules[5];
  REQUIRE(cap.at("id") == "wft.cap_months");
  cap.at("quote") = "最长不超过6个月（测试修订）";
  json::value extra = cap;
  extra.at("id") = "wft.extra_check";
  amendment.as_object()["rules"] = json::array{cap, extra};
  amendment.as_object()["definitions"] = {{"employment_last_month", "month_of(claim.submitted_on)"}};
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}, {"amend.json", json::serialize(amendment)}});
  const Ruleset& amended = *set.find("amend-rate-2020-03");
  REQUIRE(amended.rules.size() == base_rules.size() + 1);
  CHECK(amended.rules[5].id == "wft.cap_months");
  CHECK(amended.rules[5].source.quote == "最长不超过6个月（测试修订）");
  CHECK(amended.rules[5].pointer == "/rules/0");  // in the amending file
  CHECK(amended.rules[4].pointer == "/rules/4");  // in the base file
  CHECK(amended.rules.back().id == "wft.extra_check");
  CHECK(amended.rules.back().pointer == "/rules/1");
  CHECK(amended.definitions.at("employment_last_month") == "month_of(claim.submitted_on)");
  CHECK(set.find("hubin-2019")->definitions.at("employment_last_month") != "month_of(claim.submitted_on)");
}

TEST_CASE("ruleset files: an amendment may add a parameter, which must start by its own effective date") {
  json::value amendment = json::parse(read_file(amendment_path));
  amendment.at("parameters").as_object()["sys.class_filed_required"] = {
      {"type", "bool"},
      {"description", "Whether a class must have been filed."},
      {"values", {{"2020-04-01", {{"value", true}, {"clause", "二(三)2"}, {"quote", "补贴培训进系统"}}}}}};
  auto result = RulesetSet::load({{hubin_path, read_file(hubin_path)}, {"amend.json", json::serialize(amendment)}});
  REQUIRE(std::holds_alternative<std::vector<RulesetLoadError>>(result));
  const auto& errors = std::get<std::vector<RulesetLoadError>>(result);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file_name == "amend.json");
  CHECK(errors[0].pointer == "/parameters/sys.class_filed_required/values/2020-04-01");

  amendment.at("parameters").at("sys.class_filed_required").at("values") = {
      {"2020-03-01", {{"value", true}, {"clause", "二(三)2"}, {"quote", "补贴培训进系统"}}}};
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}, {"amend.json", json::serialize(amendment)}});
  const Ruleset& amended = *set.find("amend-rate-2020-03");
  REQUIRE(amended.find_parameter("sys.class_filed_required") != nullptr);
  CHECK(amended.parameter_value(amended.parameter_index.at("sys.class_filed_required"), d("2020-03-01")) == 1);
  CHECK(set.find("hubin-2019")->find_parameter("sys.class_filed_required") == nullptr);
}
