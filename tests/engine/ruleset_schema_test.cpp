// schemas/ruleset.schema.json describes the ruleset files: the shipped ones validate against it,
// and it refuses what the loader refuses for shape alone (a missing clause, an unknown field).

#include <doctest/doctest.h>

// GCC 12 reports a false -Wmaybe-uninitialized inside std::regex (which valijson uses for
// "pattern") when built with the sanitizers; the warning is issued where the code is inlined, so
// it is silenced for this file rather than around the includes.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

namespace json = boost::json;

namespace {

std::string read_file(const std::string& relative) {
  std::ifstream in(std::string(SUBSIDY_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "" when `relative` validates, else the validator's errors.
std::string schema_errors(const std::string& relative) {
  json::value schema_document = json::parse(read_file("schemas/ruleset.schema.json"));
  valijson::Schema schema;
  valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
  valijson::adapters::BoostJsonAdapter schema_adapter(schema_document);
  parser.populateSchema(schema_adapter, schema);

  json::value document = json::parse(read_file(relative));
  valijson::adapters::BoostJsonAdapter adapter(document);
  valijson::Validator validator;
  valijson::ValidationResults results;
  if (validator.validate(schema, adapter, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    for (const std::string& part : error.context) out += part;
    out += ": " + error.description + "\n";
  }
  return out.empty() ? "invalid" : out;
}

}  // namespace

TEST_CASE("the shipped rulesets and the valid fixtures validate against the schema") {
  for (const char* file :
       {"rules/hubin-2019/hubin-2019.ruleset.json", "tests/data/rulesets/amend-rate-2020-03.ruleset.json",
        "tests/data/rulesets/valid-minimal.ruleset.json"}) {
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
