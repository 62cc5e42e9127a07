#pragma once
// Rule scenarios: named, plain-data cases a policy officer can read (docs/scenarios.md): which
// rulesets and catalogue, the claims decided before, the claim under test, and what must come
// out: outcome, amounts, lines, reasons with their refs. The test suite runs every file under
// tests/scenarios/; `subsidy-scenarios` runs any file by hand.

#include <boost/json/value.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace subsidy::app {

struct ScenarioResult {
  std::string name;
  bool passed = false;
  std::vector<std::string> failures;  // "step 3 (the 7th month): lines/2020-07/status: expected rejected, got approved"
  std::vector<std::string> decisions;  // every decision the scenario produced, one JSON line each
};

// Runs one scenario file; paths inside it are relative to `root` (the repository).
ScenarioResult run_scenario_file(const std::filesystem::path& file, const std::filesystem::path& root);

// RFC 7396 JSON Merge Patch: `patch` applied onto `target`.
boost::json::value merge_patch(const boost::json::value& target, const boost::json::value& patch);

// Partial match: every member `expected` names must be in `actual` with a matching value;
// arrays match element by element with the same length. Mismatches are appended to `failures`.
void match_json(const boost::json::value& expected, const boost::json::value& actual, const std::string& path,
                std::vector<std::string>& failures);

}  // namespace subsidy::app
