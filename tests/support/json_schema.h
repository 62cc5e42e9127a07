#pragma once
// Test support: reading JSON files of the repository and validating documents against the
// draft-07 JSON Schemas in schemas/ with valijson (header-only, from Debian's libvalijson-dev).

// GCC 12 reports a false -Wmaybe-uninitialized inside std::regex (which valijson uses for
// "pattern") when built with the sanitizers.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

#include "engine/json_reader.h"

#include <doctest/doctest.h>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <boost/json/value.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <variant>

namespace subsidy::testing {

inline const std::filesystem::path source_dir = SUBSIDY_SOURCE_DIR;

// A JSON file read strictly (json_reader.h); fails the test when it cannot be.
inline boost::json::value read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << path.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto parsed = read_json(text.str());
  if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    FAIL(path.string() << ": offset " << error->offset << ": " << error->message);
  }
  return std::get<boost::json::value>(std::move(parsed));
}

// A draft-07 schema of schemas/, parsed once.
class JsonSchema {
 public:
  explicit JsonSchema(const std::string& relative) : document_(read_json_file(source_dir / relative)) {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(document_);
    parser.populateSchema(adapter, schema_);
  }
  const boost::json::value& document() const { return document_; }

  // "" when `value` validates, else the validator's errors, one a line.
  std::string errors(const boost::json::value& value) const {
    valijson::adapters::BoostJsonAdapter adapter(value);
    valijson::Validator validator;
    valijson::ValidationResults results;
    if (validator.validate(schema_, adapter, &results)) return "";
    std::string out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
      for (const std::string& part : error.context) out += part;
      out += ": " + error.description + "\n";
    }
    return out.empty() ? "invalid" : out;
  }

 private:
  boost::json::value document_;
  valijson::Schema schema_;
};

}  // namespace subsidy::testing
