// schemas/decision.schema.json describes every decision the engine writes: each scenario under
// tests/scenarios is run (app/scenario.h) and every decision it produced must validate.
// The schema's enums are the engine's names, and it refuses what a decision never is. The example
// claims of examples/claims.jsonl validate against schemas/claim.schema.json (and parse).

#include "engine/claim_parser.h"
#include "engine/decision.h"
#include "engine/json_reader.h"
#include "engine/ruleset.h"
#include "engine/vocabulary.h"
#include "app/scenario.h"

#include "tests/support/json_schema.h"

#include <doctest/doctest.h>


#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
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



const JsonSchema& decision_schema() {
  static const JsonSchema schema("schemas/decision.schema.json");
  return schema;
}

std::vector<fs::path> scenario_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir / "tests/scenarios")) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

template <std::size_t N>
json::array names_array(const std::array<std::string_view, N>& names) {
  json::array out;
  for (std::string_view name : names) out.emplace_back(json::string_view(name.data(), name.size()));
  return out;
}

const json::value& at_pointer(const json::value& document, std::string_view pointer) {
  boost::system::error_code ec;
  const json::value* found = document.find_pointer(json::string_view(pointer.data(), pointer.size()), ec);
  REQUIRE_MESSAGE(found, "the schema has no " << pointer);
  return *found;
}

// A decision of the shape decision_json.cpp writes, with seq first as the ledger adds it.
json::value sample_decision() {
  return json::parse(R"({
    "seq": 42, "claim_id": "HB-2020-000123", "program": "work_for_training", "kind": "initial",
    "outcome": "partially_approved", "requested_fen": 40000, "approved_fen": 20000,
    "disbursements": [{"kind": "payment", "amount_fen": 20000}],
    "lines": [
      {"subject": "2020-01", "status": "approved", "requested_fen": 20000, "approved_fen": 20000, "rules": ["wft.rate"]},
      {"subject": "2020-03", "status": "rejected", "requested_fen": 20000, "approved_fen": 0, "rules": ["wft.cap_months"]}
    ],
    "reasons": [
      {"rule": "wft.cap_months", "clause": "二(三)1", "result": "partial",
       "message": "6 of 6 months already approved for this person",
       "message_zh": "该人员已享受以工代训补贴6个月，已达上限", "refs": [17, 23], "subjects": ["2020-03"]}
    ],
    "ruleset": {"id": "hubin-2019", "version": "2019-10-21",
                "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
    "rulesets": [{"id": "hubin-2019", "version": "2019-10-21",
                  "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}]
  })");
}

}  // namespace

TEST_CASE("decision schema: every decision the scenarios produce validates") {
  std::vector<fs::path> files = scenario_files();
  REQUIRE(files.size() >= 30);
  std::size_t decisions = 0;
  std::set<std::string> programs, kinds, outcomes;
  for (const fs::path& file : files) {
    CAPTURE(file.string());
    subsidy::app::ScenarioResult result = subsidy::app::run_scenario_file(file, source_dir);
    for (const std::string& text : result.decisions) {
      ++decisions;
      json::value decision = json::parse(text);
      CAPTURE(text);
      CHECK(decision_schema().errors(decision) == "");
      programs.insert(std::string(decision.at("program").as_string()));
      kinds.insert(std::string(decision.at("kind").as_string()));
      outcomes.insert(std::string(decision.at("outcome").as_string()));
    }
  }
  MESSAGE(decisions << " decisions from " << files.size() << " scenario files validated");
  // The scenarios reach every program, every kind the ledger makes, and every outcome.
  CHECK(decisions >= 50);
  CHECK(programs.size() == subsidy::program_names.size());
  CHECK(kinds.count("initial") == 1);
  CHECK(kinds.count("settlement") == 1);
  CHECK(outcomes.size() == subsidy::outcome_names.size());
}

TEST_CASE("decision schema: its enums are the engine's names") {
  const json::value& s = decision_schema().document();
  CHECK(at_pointer(s, "/properties/program/enum") == names_array(subsidy::program_names));
  CHECK(at_pointer(s, "/properties/kind/enum") == names_array(subsidy::decision_kind_names));
  CHECK(at_pointer(s, "/properties/outcome/enum") == names_array(subsidy::outcome_names));
  CHECK(at_pointer(s, "/definitions/line/properties/status/enum") == names_array(subsidy::line_status_names));
  CHECK(at_pointer(s, "/properties/disbursements/items/properties/kind/enum") ==
        names_array(subsidy::disbursement_kind_names));
  CHECK(at_pointer(s, "/properties/disbursements/maxItems").as_int64() ==
        static_cast<std::int64_t>(subsidy::disbursement_kind_names.size()));
}

TEST_CASE("decision schema: a dry run, a log record, and what a decision never is") {
  CHECK(decision_schema().errors(sample_decision()) == "");

  json::value dry_run = sample_decision();
  dry_run.as_object().erase("seq");
  dry_run.as_object()["dry_run"] = true;
  CHECK(decision_schema().errors(dry_run) == "");

  json::value logged = sample_decision();
  logged.as_object()["decided_at"] = "2026-11-26T05:00:00Z";
  logged.as_object()["prev_hash"] = std::string(64, '0');
  logged.as_object()["hash"] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  CHECK(decision_schema().errors(logged) == "");

  struct Broken {
    const char* what;
    const char* pointer;
    json::value value;  // null: remove the member
  };
  const std::vector<Broken> broken = {
      {"a float amount", "/approved_fen", json::value(200.5)},
      {"a negative amount", "/requested_fen", json::value(-1)},
      {"an unknown outcome", "/outcome", json::value("approved_in_part")},
      {"an unknown member", "/approved", json::value(1)},
      {"no lines", "/lines", json::value()},
      {"a line status outside the vocabulary", "/lines/0/status", json::value("held")},
      {"a zero disbursement", "/disbursements/0/amount_fen", json::value(0)},
      {"seq 0", "/seq", json::value(0)},
      {"dry_run false", "/dry_run", json::value(false)},
      {"a reason without message_zh", "/reasons/0/message_zh", json::value()},
      {"a ref that is not a seq", "/reasons/0/refs/0", json::value("17")},
      {"a hash in uppercase", "/hash", json::value(std::string(64, 'A'))},
      {"a local time", "/decided_at", json::value("2026-11-26 13:00:00+08:00")},
  };
  for (const Broken& b : broken) {
    CAPTURE(b.what);
    json::value decision = sample_decision();
    std::string_view pointer(b.pointer);
    std::size_t slash = pointer.rfind('/');
    boost::system::error_code ec;
    json::value* parent = slash == 0 ? &decision
                                     : decision.find_pointer(json::string_view(pointer.data(), slash), ec);
    REQUIRE(parent);
    std::string key(pointer.substr(slash + 1));
    if (json::object* o = parent->if_object()) {
      if (b.value.is_null()) o->erase(key);
      else (*o)[key] = b.value;
    } else {
      parent->as_array().at(std::stoul(key)) = b.value;
    }
    CHECK(decision_schema().errors(decision) != "");
  }
}

TEST_CASE("claim schema: the example claims of examples/claims.jsonl pass the schema and the parser") {
  // A line is a claim, or {"settle": claim_id, "request": settlement} (tools/decide_main.cpp).
  static const JsonSchema claim_schema("schemas/claim.schema.json");
  static const JsonSchema settlement_schema("schemas/settlement.schema.json");
  std::ifstream in(source_dir / "examples/claims.jsonl", std::ios::binary);
  REQUIRE(in);
  std::string line;
  std::size_t claims = 0, settlements = 0;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    CAPTURE(number);
    auto parsed = subsidy::read_json(line);
    REQUIRE(std::holds_alternative<json::value>(parsed));
    const json::value& document = std::get<json::value>(parsed);
    if (const json::value* request = document.as_object().if_contains("request")) {
      ++settlements;
      CHECK(settlement_schema.errors(*request) == "");
      CHECK(subsidy::parse_settlement(*request).index() == 0);
    } else {
      ++claims;
      CHECK(claim_schema.errors(document) == "");
      CHECK(subsidy::parse_claim(document).index() == 0);
    }
  }
  CHECK(claims > 0);
  MESSAGE(claims << " claims and " << settlements << " settlements validated");
}
