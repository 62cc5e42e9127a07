// rules/examples/ holds amendments a bureau loads by naming them: loading the rules directory
// leaves them out, naming one loads it beside the base, and the shipped example switches the
// registry and class filing checks on from its date only.

#include <doctest/doctest.h>

#include "app/files.h"

#include <string>
#include <variant>

using namespace subsidy;

namespace {

const std::string root = SUBSIDY_SOURCE_DIR;
const std::string example = root + "/rules/examples/hubin-2020-in-system.ruleset.json";

RulesetSet load_ok(const std::vector<std::filesystem::path>& paths) {
  auto loaded = app::load_rulesets(paths);
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) FAIL(errors->front());
  return std::move(std::get<RulesetSet>(loaded));
}

bool switched_on(const Ruleset& rs, const char* parameter, const char* date) {
  return rs.parameter_value(rs.parameter_index.at(parameter), *parse_date(date)) != 0;
}

bool registry_required(const Ruleset& rs, const char* date) { return switched_on(rs, "sys.registry_required", date); }
bool class_filing_required(const Ruleset& rs, const char* date) {
  return switched_on(rs, "sys.class_filing_required", date);
}

}  // namespace

TEST_CASE("ruleset examples: loading rules/ leaves rules/examples/ out") {
  RulesetSet set = load_ok({root + "/rules"});
  CHECK(set.find("hubin-2019") != nullptr);
  CHECK(set.find("hubin-2020-in-system") == nullptr);
  CHECK(set.all().size() == 1);
}

TEST_CASE("ruleset examples: the in-system example, named, governs from 2020-01-01 with the registry and class filing checks on") {
  RulesetSet set = load_ok({root + "/rules", example});
  REQUIRE(set.find("hubin-2020-in-system") != nullptr);
  const Ruleset* before = set.governing(*parse_date("2019-12-31"));
  const Ruleset* from = set.governing(*parse_date("2020-01-01"));
  REQUIRE(before != nullptr);
  REQUIRE(from != nullptr);
  CHECK(before->id == "hubin-2019");
  CHECK(from->id == "hubin-2020-in-system");
  CHECK(!registry_required(*before, "2019-12-31"));
  CHECK(registry_required(*from, "2020-01-01"));
  CHECK(!class_filing_required(*before, "2019-12-31"));
  CHECK(class_filing_required(*from, "2020-01-01"));
  // The base keeps the checks off on every date: decisions it governs never change.
  CHECK(!registry_required(*before, "2021-06-30"));
  CHECK(!class_filing_required(*before, "2021-06-30"));
}
