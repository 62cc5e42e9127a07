// schemas/ruleset.schema.json describes the ruleset files: the shipped ones validate against it,
// and it refuses what the loader refuses for shape alone (a missing clause, an unknown field).

#include "tests/support/json_schema.h"

#include <doctest/doctest.h>


#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace json = boost::json;

namespace {

// "" when the file `relative` validates against schemas/ruleset.schema.json, else the errors.
std::string schema_errors(const std::string& relative) {
  static const subsidy::testing::JsonSchema schema("schemas/ruleset.schema.json");
  return schema.errors(subsidy::testing::read_json_file(subsidy::testing::source_dir / relative));
}

}  // namespace

TEST_CASE("the shipped rulesets and the valid fixtures validate against the schema") {
  for (const char* file :
       {"rules/hubin-2019/hubin-2019.ruleset.json", "rules/examples/hubin-2020-in-system.ruleset.json",
        "rules/examples/hubin-2020-wft-expansion.ruleset.json", "tests/data/rulesets/amend-rate-2020-03.ruleset.json",
        "tests/data/rulesets/valid-minimal.ruleset.json", "tests/data/rulesets/class-filing-2020-01.ruleset.json",
        "tests/data/rulesets/category-unverified-rejected.ruleset.json"}) {
    CAPTURE(file);
    CHECK(schema_errors(file) == "");
  }
}

TEST_CASE("ruleset files: the schema refuses fixtures whose shape is wrong") {
  for (const char* file :
       {"broken-missing-clause", "broken-missing-message-zh", "broken-unknown-category", "broken-many-errors"}) {
    CAPTURE(file);
    CHECK(schema_errors(std::string("tests/data/rulesets/") + file + ".ruleset.json") != "");
  }
}
