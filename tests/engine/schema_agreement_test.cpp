// schemas/claim.schema.json and schemas/settlement.schema.json against the parser
// (engine/claim_parser.h), over the fixtures in tests/data/claims (README.md there):
//   valid/     both accept;
//   invalid/   both refuse, and the parser's problem pointers are the fixture's "pointers";
//   semantic/  what JSON Schema cannot judge (check characters, impossible days, an end before its
//              start, a name over 300 bytes but not 300 characters): the schema accepts, the parser
//              refuses with the fixture's "pointers".
// The same for settlement/{valid,invalid,semantic}. Any drift between the schemas and the parser
// moves a fixture across that split and fails here. The bounds and vocabularies written in the
// schemas are also compared with ClaimLimits and vocabulary.h.

#include "engine/claim.h"
#include "engine/class_filing.h"
#include "engine/class_filing_parser.h"
#include "engine/claim_parser.h"
#include "engine/json_reader.h"
#include "engine/registry_import.h"
#include "engine/vocabulary.h"

#include "tests/support/json_schema.h"

#include <doctest/doctest.h>


#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;

using subsidy::testing::JsonSchema;
using subsidy::testing::read_json_file;
using subsidy::testing::source_dir;

namespace {

const fs::path fixtures_dir = source_dir / "tests/data/claims";


const JsonSchema& claim_schema() {
  static const JsonSchema schema("schemas/claim.schema.json");
  return schema;
}

const JsonSchema& class_filing_schema() {
  static const JsonSchema schema("schemas/class-filing.schema.json");
  return schema;
}

const JsonSchema& registry_person_schema() {
  static const JsonSchema schema("schemas/registry-person.schema.json");
  return schema;
}

const JsonSchema& settlement_schema() {
  static const JsonSchema schema("schemas/settlement.schema.json");
  return schema;
}

struct Fixture {
  std::string name;  // relative to tests/data/claims
  std::string description;
  json::value document;
  std::set<std::string> pointers;  // expected problem pointers; empty for valid/
};

// Every *.json directly in tests/data/claims/<dir>, sorted by name.
std::vector<Fixture> fixtures(const std::string& dir) {
  std::vector<fs::path> paths;
  for (const auto& entry : fs::directory_iterator(fixtures_dir / dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") paths.push_back(entry.path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<Fixture> out;
  for (const fs::path& path : paths) {
    json::value file = read_json_file(path);
    Fixture fixture;
    fixture.name = dir + "/" + path.filename().string();
    const json::object* object = file.if_object();
    REQUIRE_MESSAGE((object && object->contains("description") && object->contains("document")),
                    fixture.name << ": a fixture is {description, pointers?, document}");
    fixture.description = std::string(object->at("description").as_string());
    fixture.document = object->at("document");
    if (const json::value* pointers = object->if_contains("pointers")) {
      for (const json::value& p : pointers->as_array()) fixture.pointers.insert(std::string(p.as_string()));
    }
    out.push_back(std::move(fixture));
  }
  return out;
}

template <class Parsed>
std::set<std::string> problem_pointers(const std::variant<Parsed, subsidy::Problems>& parsed) {
  std::set<std::string> pointers;
  if (const auto* problems = std::get_if<subsidy::Problems>(&parsed)) {
    for (const subsidy::Problem& p : *problems) pointers.insert(p.pointer);
  }
  return pointers;
}

template <class Parsed>
std::string problems_text(const std::variant<Parsed, subsidy::Problems>& parsed) {
  std::string out;
  if (const auto* problems = std::get_if<subsidy::Problems>(&parsed)) {
    for (const subsidy::Problem& p : *problems) out += p.pointer + ": " + p.message + "\n";
  }
  return out;
}

std::string joined(const std::set<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : " ") + (item.empty() ? "\"\"" : item);
  return out;
}

enum class Expect { valid, invalid, semantic };

// Runs every fixture of `dir` through `schema` and `parse`; returns how many there were.
template <class Parse>
std::size_t check_fixtures(const std::string& dir, Expect expect, const JsonSchema& schema, Parse parse) {
  std::vector<Fixture> all = fixtures(dir);
  for (const Fixture& fixture : all) {
    CAPTURE(fixture.name);
    CAPTURE(fixture.description);
    std::string schema_errors = schema.errors(fixture.document);
    auto parsed = parse(fixture.document);
    CAPTURE(schema_errors);
    std::string parser_problems = problems_text(parsed);
    CAPTURE(parser_problems);
    bool parser_accepts = parsed.index() == 0;
    switch (expect) {
      case Expect::valid:
        CHECK_MESSAGE(fixture.pointers.empty(), "a valid fixture lists no pointers");
        CHECK_MESSAGE(schema_errors.empty(), "the schema refuses a valid document");
        CHECK_MESSAGE(parser_accepts, "the parser refuses a valid document");
        break;
      case Expect::invalid:
        CHECK_MESSAGE(!schema_errors.empty(), "the schema accepts a document the parser must refuse");
        CHECK_MESSAGE(!parser_accepts, "the parser accepts an invalid document");
        CHECK(joined(problem_pointers(parsed)) == joined(fixture.pointers));
        break;
      case Expect::semantic:
        CHECK_MESSAGE(schema_errors.empty(), "the schema refuses a document only the parser should judge");
        CHECK_MESSAGE(!parser_accepts, "the parser accepts a semantically invalid document");
        CHECK(joined(problem_pointers(parsed)) == joined(fixture.pointers));
        break;
    }
    if (expect != Expect::valid) CHECK_MESSAGE(!fixture.pointers.empty(), "an invalid fixture lists its pointers");
  }
  return all.size();
}

const json::value& at_pointer(const json::value& document, std::string_view pointer) {
  boost::system::error_code ec;
  const json::value* found = document.find_pointer(json::string_view(pointer.data(), pointer.size()), ec);
  REQUIRE_MESSAGE(found, "the schema has no " << pointer);
  return *found;
}

template <std::size_t N>
json::array names_array(const std::array<std::string_view, N>& names) {
  json::array out;
  for (std::string_view name : names) out.emplace_back(json::string_view(name.data(), name.size()));
  return out;
}

std::int64_t integer_at(const json::value& document, std::string_view pointer) {
  const json::value& v = at_pointer(document, pointer);
  REQUIRE_MESSAGE(v.is_int64(), pointer << " is not an integer");
  return v.as_int64();
}

std::string string_at(const json::value& document, std::string_view pointer) {
  const json::value& v = at_pointer(document, pointer);
  REQUIRE_MESSAGE(v.is_string(), pointer << " is not a string");
  return std::string(v.as_string());
}

template <class T>
std::int64_t as_int(T n) {
  return static_cast<std::int64_t>(n);
}

}  // namespace

TEST_CASE("claim schema and parser agree: valid claims pass both") {
  auto parse = [](const json::value& v) { return subsidy::parse_claim(v); };
  CHECK(check_fixtures("valid", Expect::valid, claim_schema(), parse) >= 10);
}

TEST_CASE("claim schema and parser agree: invalid claims fail both, at the expected pointers") {
  auto parse = [](const json::value& v) { return subsidy::parse_claim(v); };
  CHECK(check_fixtures("invalid", Expect::invalid, claim_schema(), parse) >= 20);
}

TEST_CASE("claim schema and parser agree: semantic problems pass the schema and fail the parser") {
  auto parse = [](const json::value& v) { return subsidy::parse_claim(v); };
  CHECK(check_fixtures("semantic", Expect::semantic, claim_schema(), parse) >= 10);
}

TEST_CASE("settlement schema and parser agree on the settlement fixtures") {
  auto parse = [](const json::value& v) { return subsidy::parse_settlement(v); };
  CHECK(check_fixtures("settlement/valid", Expect::valid, settlement_schema(), parse) >= 2);
  CHECK(check_fixtures("settlement/invalid", Expect::invalid, settlement_schema(), parse) >= 3);
  CHECK(check_fixtures("settlement/semantic", Expect::semantic, settlement_schema(), parse) >= 2);
}

TEST_CASE("class filing schema and parser agree on the class filing fixtures") {
  auto parse = [](const json::value& v) { return subsidy::parse_class_filing(v); };
  CHECK(check_fixtures("class_filing/valid", Expect::valid, class_filing_schema(), parse) >= 2);
  CHECK(check_fixtures("class_filing/invalid", Expect::invalid, class_filing_schema(), parse) >= 3);
  CHECK(check_fixtures("class_filing/semantic", Expect::semantic, class_filing_schema(), parse) >= 3);
}

TEST_CASE("class filing schema: its bounds are ClassFilingLimits and its definitions are the claim schema's") {
  using subsidy::ClassFilingLimits;
  const json::value& s = class_filing_schema().document();
  CHECK(integer_at(s, "/properties/roster/maxItems") == as_int(ClassFilingLimits::roster_max));
  CHECK(integer_at(s, "/properties/hours/maximum") == as_int(ClassFilingLimits::hours_max));
  CHECK(string_at(s, "/properties/class_id/pattern") ==
        "^[A-Za-z0-9._-]{1," + std::to_string(ClassFilingLimits::class_id_chars_max) + "}$");
  for (const char* name : {"/definitions/date", "/definitions/resident_id", "/definitions/credit_code",
                           "/definitions/project_code", "/definitions/name"}) {
    CAPTURE(name);
    CHECK(at_pointer(s, name) == at_pointer(claim_schema().document(), name));
  }
}

TEST_CASE("registry person schema and parser agree on the JSON Lines fixtures") {
  auto parse = [](const json::value& v) -> std::variant<subsidy::RegisteredPerson, subsidy::Problems> {
    subsidy::Problems problems;
    std::optional<subsidy::RegisteredPerson> person = subsidy::registry_person_from_json(v, "", problems);
    if (!problems.empty() || !person) return problems;
    return *person;
  };
  CHECK(check_fixtures("registry_person/valid", Expect::valid, registry_person_schema(), parse) >= 2);
  CHECK(check_fixtures("registry_person/invalid", Expect::invalid, registry_person_schema(), parse) >= 3);
  CHECK(check_fixtures("registry_person/semantic", Expect::semantic, registry_person_schema(), parse) >= 2);
  const json::value& s = registry_person_schema().document();
  for (const char* name : {"/definitions/date", "/definitions/resident_id", "/definitions/category"}) {
    CAPTURE(name);
    CHECK(at_pointer(s, name) == at_pointer(claim_schema().document(), name));
  }
}

TEST_CASE("claim schema: its bounds are ClaimLimits and its enums are the vocabularies") {
  using subsidy::ClaimLimits;
  const json::value& s = claim_schema().document();
  CHECK(integer_at(s, "/properties/months/maxItems") == as_int(ClaimLimits::months_max));
  CHECK(integer_at(s, "/properties/trainees/maxItems") == as_int(ClaimLimits::trainees_max));
  CHECK(integer_at(s, "/definitions/evidence_list/maxItems") == as_int(ClaimLimits::evidence_max));
  // maxLength counts characters and the parser bytes: a name of name_bytes_max bytes has at most
  // name_bytes_max characters, so this bound refuses no name the parser accepts.
  CHECK(integer_at(s, "/definitions/name/maxLength") == as_int(ClaimLimits::name_bytes_max));
  CHECK(integer_at(s, "/definitions/evidence_item/properties/ref/maxLength") == as_int(ClaimLimits::ref_chars_max));
  CHECK(string_at(s, "/properties/claim_id/pattern") ==
        "^[A-Za-z0-9._-]{1," + std::to_string(ClaimLimits::claim_id_chars_max) + "}$");
  CHECK(string_at(s, "/definitions/project_code/pattern") ==
        "^[A-Za-z0-9._-]{1," + std::to_string(ClaimLimits::project_code_chars_max) + "}$");
  CHECK(integer_at(s, "/definitions/person/properties/categories/maxItems") == as_int(subsidy::category_names.size()));
  CHECK(at_pointer(s, "/definitions/program/enum") == names_array(subsidy::program_names));
  CHECK(at_pointer(s, "/definitions/category/enum") == names_array(subsidy::category_names));
  CHECK(at_pointer(s, "/definitions/entity/properties/type/enum") == names_array(subsidy::entity_type_names));
  CHECK(at_pointer(s, "/definitions/evidence_item/properties/kind/enum") == names_array(subsidy::evidence_kind_names));
}

TEST_CASE("settlement schema: its bounds are ClaimLimits and its definitions are the claim schema's") {
  using subsidy::ClaimLimits;
  const json::value& s = settlement_schema().document();
  CHECK(integer_at(s, "/properties/results/maxItems") == as_int(ClaimLimits::trainees_max));
  CHECK(integer_at(s, "/properties/evidence/maxItems") == as_int(ClaimLimits::evidence_max));
  for (const char* name : {"/definitions/date", "/definitions/resident_id", "/definitions/evidence_item"}) {
    CAPTURE(name);
    CHECK(at_pointer(s, name) == at_pointer(claim_schema().document(), name));
  }
}
