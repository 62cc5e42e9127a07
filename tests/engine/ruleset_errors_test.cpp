// Broken ruleset files (tests/data/rulesets/broken-*.ruleset.json) each fail to load with the
// error a policy officer needs to fix them: the file, the rule id, the JSON Pointer and, for an
// expression, the column.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/ruleset_set.h"
#include "tests/support/repo_files.h"

using namespace subsidy;

namespace {

const std::string data_dir = "tests/data/rulesets/";
const std::string hubin_path = "rules/hubin-2019/hubin-2019.ruleset.json";

std::string read_file(const std::string& relative) { return testing::read_repo_file(relative); }

RulesetSource source(const std::string& relative) { return {relative, read_file(relative)}; }

std::vector<RulesetLoadError> load_errors(std::vector<RulesetSource> sources) {
  auto result = RulesetSet::load(std::move(sources));
  REQUIRE_MESSAGE(std::holds_alternative<std::vector<RulesetLoadError>>(result), "the load should have failed");
  return std::get<std::vector<RulesetLoadError>>(result);
}

std::string all_errors(const std::vector<RulesetLoadError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

struct Expected {
  std::string file;  // under tests/data/rulesets/, without ".ruleset.json"
  std::string rule_id;
  std::string pointer;
  std::size_t column;
  std::string message_part;
};

void check_error(const RulesetLoadError& error, const Expected& e, const std::string& file_name) {
  CHECK(error.file_name == file_name);
  CHECK(error.rule_id == e.rule_id);
  CHECK(error.pointer == e.pointer);
  CHECK(error.column == e.column);
  CHECK_MESSAGE(error.message.find(e.message_part) != std::string::npos, error.message);
}

}  // namespace

TEST_CASE("ruleset files: the valid minimal fixture loads: the broken ones differ from it by one mistake") {
  auto result = RulesetSet::load({source(data_dir + "valid-minimal.ruleset.json")});
  if (auto* errors = std::get_if<std::vector<RulesetLoadError>>(&result)) FAIL(all_errors(*errors));
}

TEST_CASE("ruleset files: each broken fixture fails with the expected file, rule, pointer and column") {
  const std::vector<Expected> cases = {
      {"broken-unknown-function", "wft.cap_months", "/rules/1/require", 1, "unknown function 'approved_monthz'"},
      {"broken-type-error", "wft.cap_months", "/rules/1/require", 27, "cannot compare int with fen"},
      {"broken-unknown-param", "wft.cap_months", "/rules/1/require", 29, "unknown parameter 'wft.cap_month'"},
      {"broken-missing-message-zh", "wft.cap_months", "/rules/1/message_zh", 0, "is required"},
      {"broken-missing-clause", "wft.cap_months", "/rules/1/clause", 0, "is required"},
      {"broken-placeholder-without-arg", "wft.cap_months", "/rules/1/message_zh", 0,
       "placeholder {months} names no argument"},
      {"broken-unknown-enum-literal", "wft.cap_months", "/rules/1/when", 13, "'bank' is not a known entity type"},
      {"broken-duplicate-rule-id", "wft.cap_months", "/rules/2/programs", 0,
       "already used at /rules/1 for work_for_training"},
      {"broken-two-amount-rules", "wft.rate_again", "/rules/3/effect", 0, "a second amount rule for work_for_training"},
      {"broken-parameter-after-effective", "", "/parameters/wft.rate/values/2019-10-01", 0,
       "after the ruleset does (2019-09-07)"},
      {"broken-unknown-category", "", "/parameters/proj.target_groups/values/2019-09-07/value/1", 0,
       "unknown category \"pirate\""},
  };
  for (const Expected& e : cases) {
    CAPTURE(e.file);
    std::string file_name = data_dir + e.file + ".ruleset.json";
    auto errors = load_errors({source(file_name)});
    CAPTURE(all_errors(errors));
    REQUIRE(errors.size() == 1);
    check_error(errors[0], e, file_name);
  }
}

TEST_CASE("ruleset files: an error in an expression names the definition it is in") {
  auto errors =
      load_errors({{"def.json", [] {
                      std::string text = read_file(data_dir + "valid-minimal.ruleset.json");
                      std::string from = "entity.type in param('wft.route_a_entity_types')";
                      text.replace(text.find(from), from.size(), "entity.type in param('wft.route_a_entity_type')");
                      return text;
                    }()}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rule_id == "wft.cap_months");
  CHECK(errors[0].pointer == "/rules/1/when");
  CHECK(errors[0].column == 16);  // in the definition's text
  CHECK(errors[0].message == "in definition 'route_a_entity': unknown parameter 'wft.route_a_entity_type'");
  CHECK(errors[0].to_string() ==
        "def.json: rule wft.cap_months at /rules/1/when, column 16: in definition 'route_a_entity': unknown parameter "
        "'wft.route_a_entity_type'");
}

TEST_CASE("ruleset files: every error of a file is reported, not only the first") {
  std::string file_name = data_dir + "broken-many-errors.ruleset.json";
  auto errors = load_errors({source(file_name)});
  CAPTURE(all_errors(errors));
  const std::vector<Expected> expected = {
      {"", "wft.cap_months", "/rules/1/severity", 0, "unknown field"},
      {"", "wft.rate", "/rules/2/quote", 0, "is required"},
      {"", "wft.extra", "/rules/3/require", 0, "is required in a reject rule"},
      {"", "wft.bad_effect", "/rules/4/effect", 0, "unknown effect \"deny\""},
  };
  REQUIRE(errors.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) check_error(errors[i], expected[i], file_name);
}

TEST_CASE("ruleset files: a file that is not JSON fails with the byte offset") {
  auto errors = load_errors({{"bad.json", "{\"id\": \"x\",\n  \"version\": }"}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file_name == "bad.json");
  CAPTURE(errors[0].message);
  CHECK(errors[0].message.starts_with("invalid JSON at byte 25"));
  CHECK(errors[0].column == 0);
}

TEST_CASE("ruleset files: a duplicate key is refused rather than silently resolved") {
  std::string text = read_file(data_dir + "valid-minimal.ruleset.json");
  text.replace(text.find("\"version\""), 0, "\"id\": \"again\",\n  ");
  auto errors = load_errors({{"dup.json", text}});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].message.find("duplicate key") != std::string::npos);
}

TEST_CASE("ruleset files: errors of several files are all reported, each with its file") {
  auto errors = load_errors({source(data_dir + "broken-missing-clause.ruleset.json"),
                             source(data_dir + "broken-missing-message-zh.ruleset.json")});
  REQUIRE(errors.size() == 2);
  CHECK(errors[0].file_name == data_dir + "broken-missing-clause.ruleset.json");
  CHECK(errors[1].file_name == data_dir + "broken-missing-message-zh.ruleset.json");
}

TEST_CASE("ruleset files: RulesetLoadError::to_string leaves out what is absent") {
  CHECK(RulesetLoadError{"f.json", "wft.rate", "/rules/4/require", 12, "m"}.to_string() ==
        "f.json: rule wft.rate at /rules/4/require, column 12: m");
  CHECK(RulesetLoadError{"f.json", "wft.rate", "/rules/4/clause", 0, "is required"}.to_string() ==
        "f.json: rule wft.rate at /rules/4/clause: is required");
  CHECK(RulesetLoadError{"f.json", "", "/parameters/x", 0, "m"}.to_string() == "f.json: at /parameters/x: m");
  CHECK(RulesetLoadError{"f.json", "", "", 0, "m"}.to_string() == "f.json: m");
}

TEST_CASE("ruleset files: an amendment whose base is not loaded is refused") {
  std::string file_name = data_dir + "broken-amend-unknown-base.ruleset.json";
  auto errors = load_errors({source(hubin_path), source(file_name)});
  REQUIRE(errors.size() == 1);
  check_error(errors[0], {"", "", "/extends", 0, "extends \"hubin-2018\", which is not among the rulesets"}, file_name);
}

TEST_CASE("ruleset files: errors in an amendment name the amendment's file and its own pointers") {
  std::string file_name = data_dir + "broken-amend-rule.ruleset.json";
  auto errors = load_errors({source(hubin_path), source(file_name)});
  CAPTURE(all_errors(errors));
  REQUIRE(errors.size() == 2);
  check_error(errors[0], {"", "", "/parameters/wft.cap_months/type", 0, "cannot change a parameter's type"}, file_name);
  check_error(errors[1], {"", "wft.cap_months", "/rules/0/require", 43, "unknown parameter 'wft.cap_month'"},
              file_name);
}

TEST_CASE("ruleset files: amendments that extend each other are refused without looping") {
  auto amendment = [](const std::string& id, const std::string& extends) {
    return RulesetSource{id + ".json", "{\"id\": \"" + id + "\", \"extends\": \"" + extends + "\"}"};
  };
  auto errors = load_errors({amendment("a", "b"), amendment("b", "a"), amendment("c", "c")});
  REQUIRE(errors.size() == 3);
  for (const auto& e : errors) {
    CHECK(e.pointer == "/extends");
    CHECK(e.message.find("extend") != std::string::npos);
  }
}

// The Hubin file with one piece of text replaced: each mistake in the registry rules' parameters
// and reject_when is refused with its place.
std::vector<RulesetLoadError> hubin_with(const std::string& from, const std::string& to) {
  std::string text = read_file(hubin_path);
  std::size_t at = text.find(from);
  REQUIRE_MESSAGE(at != std::string::npos, from);
  text.replace(at, from.size(), to);
  return load_errors({{"hubin.json", text}});
}

TEST_CASE("ruleset files: a line_effect parameter takes needs_review or rejected, and reject_when only a hold rule") {
  SUBCASE("an unknown line effect") {
    auto errors = hubin_with(R"("value": "needs_review")", R"("value": "deny")");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].pointer == "/parameters/sys.category_unverified_effect/values/2019-09-07/value");
    CHECK_MESSAGE(errors[0].message.find("unknown line effect \"deny\"") != std::string::npos, errors[0].message);
  }
  SUBCASE("a literal that is no line effect") {
    auto errors = hubin_with("param('sys.category_unverified_effect') == 'rejected'",
                             "param('sys.category_unverified_effect') == 'refused'");
    REQUIRE(errors.size() == 1);  // the first of the two statements (one per program) changed
    CHECK(errors[0].rule_id == "sys.category_verified");
    CHECK(errors[0].pointer.ends_with("/reject_when"));
    CHECK_MESSAGE(errors[0].message.find("'refused' is not a known line effect") != std::string::npos, errors[0].message);
  }
  SUBCASE("reject_when in a reject rule") {
    auto errors = hubin_with(R"x("require": "registered()",)x",
                             R"x("require": "registered()", "reject_when": "true",)x");
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].rule_id == "sys.person_registered");
    CHECK(errors[0].pointer.ends_with("/reject_when"));
    CHECK(errors[0].message == "is allowed only in hold rules");
  }
  SUBCASE("reject_when must be a bool") {
    auto errors = hubin_with("\"reject_when\": \"param('sys.category_unverified_effect') == 'rejected'\"",
                             "\"reject_when\": \"param('sys.category_unverified_effect')\"");
    REQUIRE(errors.size() == 1);
    CHECK_MESSAGE(errors[0].message.find("must be bool, not line effect") != std::string::npos, errors[0].message);
  }
}
