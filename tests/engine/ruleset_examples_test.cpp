// rules/examples/ holds amendments a bureau loads by naming them: loading the rules directory
// leaves them out, naming one loads it beside the base, and the shipped example switches the
// registry and class filing checks on from its date only; the 2020 expansion governs its months only.

#include <doctest/doctest.h>

#include "app/files.h"

#include <boost/json/parse.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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

TEST_CASE("ruleset examples: the 2020 expansion governs June to December 2020 only, and marks what a province sets") {
  const std::string expansion = root + "/rules/examples/hubin-2020-wft-expansion.ruleset.json";
  RulesetSet set = load_ok({root + "/rules", expansion});
  CHECK(set.find("hubin-2020-wft-expansion") != nullptr);
  CHECK(load_ok({root + "/rules"}).find("hubin-2020-wft-expansion") == nullptr);
  for (const auto& [date, id] : std::vector<std::pair<const char*, const char*>>{{"2020-05-31", "hubin-2019"},
                                                                                 {"2020-06-01", "hubin-2020-wft-expansion"},
                                                                                 {"2020-12-31", "hubin-2020-wft-expansion"},
                                                                                 {"2021-01-01", "hubin-2019"}}) {
    CAPTURE(date);
    const Ruleset* governing = set.governing(*parse_date(date));
    REQUIRE(governing != nullptr);
    CHECK(governing->id == id);
  }
  // Every value the notice leaves to a province says it is illustrative; every quote says it is
  // a summary, since the notice's text is not among the sources.
  std::ifstream in(expansion);
  const boost::json::value file = boost::json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  for (const auto& [name, parameter] : file.at("parameters").as_object()) {
    CAPTURE(std::string(name));
    for (const auto& [from, value] : parameter.at("values").as_object()) {
      CHECK(std::string(value.at("quote").as_string()).starts_with("（示例概述，非原文）"));
    }
  }
  const std::string rate_note(file.at("parameters").at("wft.rate").at("values").at("2020-06-01").at("note").as_string());
  CHECK(rate_note.starts_with("Illustrative"));
}
