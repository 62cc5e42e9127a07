#include "app/scenario.h"

#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/class_filing_parser.h"
#include "engine/follow_up.h"
#include "engine/ledger.h"
#include "engine/registry_import.h"
#include "engine/sha256.h"
#include "app/files.h"

#include <boost/json.hpp>

#include <algorithm>

namespace subsidy::app {

namespace json = boost::json;
namespace fs = std::filesystem;

json::value merge_patch(const json::value& target, const json::value& patch) {
  if (!patch.is_object()) return patch;
  json::object out = target.is_object() ? target.as_object() : json::object();
  for (const auto& kv : patch.as_object()) {
    if (kv.value().is_null()) out.erase(kv.key());
    else out[kv.key()] = merge_patch(out.contains(kv.key()) ? out.at(kv.key()) : json::value(), kv.value());
  }
  return out;
}

void match_json(const json::value& expected, const json::value& actual, const std::string& path, std::vector<std::string>& failures) {
  if (expected.is_object() && actual.is_object()) {
    for (const auto& kv : expected.as_object()) {
      std::string sub = path + "/" + std::string(kv.key());
      const json::value* a = actual.as_object().if_contains(kv.key());
      if (!a) failures.push_back(sub + ": expected " + json::serialize(kv.value()) + ", missing");
      else match_json(kv.value(), *a, sub, failures);
    }
    return;
  }
  if (expected.is_array() && actual.is_array()) {
    const auto& e = expected.as_array();
    const auto& a = actual.as_array();
    if (e.size() != a.size()) {
      failures.push_back(path + ": expected " + json::serialize(expected) + ", got " + json::serialize(actual));
      return;
    }
    for (std::size_t i = 0; i < e.size(); ++i) match_json(e[i], a[i], path + "/" + std::to_string(i), failures);
    return;
  }
  if (expected != actual) failures.push_back(path + ": expected " + json::serialize(expected) + ", got " + json::serialize(actual));
}

namespace {

struct Run {
  ScenarioResult result;
  std::string step_label;

  void fail(const std::string& what) { result.failures.push_back(step_label + ": " + what); }
};

// Lines are expected by subject, reasons by rule: each expected one must match an actual one.
void match_decision(const json::object& expect, const json::object& actual, Run& run) {
  std::vector<std::string> failures;
  for (const auto& kv : expect) {
    std::string key(kv.key());
    if (key == "lines") {
      for (const auto& line : kv.value().as_object()) {
        const auto& lines = actual.at("lines").as_array();
        auto it = std::find_if(lines.begin(), lines.end(), [&](const json::value& l) { return l.at("subject") == line.key(); });
        if (it == lines.end()) failures.push_back("/lines/" + std::string(line.key()) + ": no such line");
        else match_json(line.value(), *it, "/lines/" + std::string(line.key()), failures);
      }
    } else if (key == "reasons") {
      for (const auto& want : kv.value().as_array()) {
        bool found = false;
        for (const auto& have : actual.at("reasons").as_array()) {
          std::vector<std::string> scratch;
          match_json(want, have, "", scratch);
          found = found || scratch.empty();
        }
        if (!found) failures.push_back("/reasons: no reason matches " + json::serialize(want));
      }
    } else if (key == "only_rules") {
      for (const auto& have : actual.at("reasons").as_array()) {
        const auto& allowed = kv.value().as_array();
        if (std::find(allowed.begin(), allowed.end(), have.at("rule")) == allowed.end()) {
          failures.push_back("/reasons: unexpected rule " + json::serialize(have.at("rule")));
        }
      }
    } else if (key != "status" && key != "pointers") {
      const json::value* a = actual.if_contains(kv.key());
      if (!a) failures.push_back("/" + key + ": missing");
      else match_json(kv.value(), *a, "/" + key, failures);
    }
  }
  for (const auto& f : failures) run.fail(f);
}

int status_of(EvalCode code) {
  switch (code) {
    case EvalCode::ok: return 201;
    case EvalCode::invalid_input: return 422;
    case EvalCode::not_found: return 404;
    case EvalCode::conflict: return 409;
    case EvalCode::overflow: return 422;
  }
  return 500;
}

// A step that did not produce a decision: compare its status and problem pointers.
void match_error(const json::object& expect, int status, const Problems& problems, Run& run) {
  std::int64_t want = expect.contains("status") ? expect.at("status").as_int64() : 201;
  if (want != status) {
    std::string detail;
    for (const auto& p : problems) detail += " " + p.pointer + " (" + p.message + ")";
    run.fail("expected status " + std::to_string(want) + ", got " + std::to_string(status) + detail);
    return;
  }
  if (const json::value* pointers = expect.if_contains("pointers")) {
    std::vector<std::string> got;
    for (const auto& p : problems) got.push_back(p.pointer);
    std::sort(got.begin(), got.end());
    std::vector<std::string> wanted;
    for (const auto& p : pointers->as_array()) wanted.emplace_back(p.as_string());
    std::sort(wanted.begin(), wanted.end());
    if (got != wanted) {
      std::string g;
      for (const auto& p : got) g += " " + p;
      run.fail("expected problem pointers " + json::serialize(*pointers) + ", got" + g);
    }
  }
}

json::value claim_document(const json::object& scenario, const json::value& step_claim) {
  const json::value* defaults = scenario.if_contains("defaults");
  std::string program;
  if (step_claim.is_object() && step_claim.as_object().contains("program") && step_claim.at("program").is_string()) {
    program = std::string(step_claim.at("program").as_string());
  } else if (defaults && defaults->is_object()) {
    for (const auto& kv : defaults->as_object()) {
      if (kv.key() != "settlement") { program = std::string(kv.key()); break; }
    }
  }
  const json::value* base = defaults && defaults->is_object() ? defaults->as_object().if_contains(program) : nullptr;
  return base ? merge_patch(*base, step_claim) : step_claim;
}

// A registry import (registry.md) of the persons the step lists, one JSON Lines object each:
// it takes the next seq, and from then on the registry holds each person as given.
void run_import(const json::value& persons, const json::object& expect, Ledger& ledger, Run& run) {
  Problems problems;
  std::vector<RegisteredPerson> parsed;
  const json::array* list = persons.if_array();
  if (list == nullptr) problems.push_back({"/register", "must be an array of persons (registry.md's JSON Lines objects)"});
  for (std::size_t i = 0; list && i < list->size(); ++i) {
    auto person = registry_person_from_json((*list)[i], "/register/" + std::to_string(i), problems);
    if (person) parsed.push_back(std::move(*person));
  }
  if (!problems.empty()) return match_error(expect, 422, problems, run);
  Seq seq = ledger.import_registry(parsed, sha256_hex(json::serialize(persons)), parsed.size());
  json::object answer{{"seq", seq}, {"persons", parsed.size()}};
  match_decision(expect, answer, run);
}

// A class filing (registry.md §2), the body of POST /v1/classes: it takes the next seq.
void run_filing(const json::value& body, const json::object& expect, Ledger& ledger, Run& run) {
  auto parsed = parse_class_filing(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) return match_error(expect, 422, *problems, run);
  Seq seq = 0;
  EvalStatus status = ledger.file_class(std::get<ClassFiling>(parsed), seq);
  if (!status.ok()) return match_error(expect, status_of(status.code), status.problems, run);
  match_decision(expect, json::object{{"seq", seq}}, run);
}

void run_step(const json::object& scenario, const json::object& step, Ledger& ledger, Run& run) {
  const json::object empty;
  const json::object& expect = step.contains("expect") ? step.at("expect").as_object() : empty;
  if (const json::value* persons = step.if_contains("register")) return run_import(*persons, expect, ledger, run);
  if (const json::value* filing = step.if_contains("file_class")) return run_filing(*filing, expect, ledger, run);
  LedgerEntry entry;
  EvalStatus status;
  const json::value* settled = step.if_contains("settle");
  const json::value* reviewed = step.if_contains("review");
  if (settled || reviewed) {
    // A settlement's body starts from the scenario's settlement defaults; a review's is whole.
    const json::value* defaults = scenario.if_contains("defaults");
    const json::value* base = settled && defaults ? defaults->as_object().if_contains("settlement") : nullptr;
    json::value body = base ? merge_patch(*base, step.at("request")) : step.at("request");
    auto parsed = parse_follow_up(settled ? FollowUpKind::settlement : FollowUpKind::review, body);
    if (auto* problems = std::get_if<Problems>(&parsed)) return match_error(expect, 422, *problems, run);
    std::string claim_id(settled ? settled->as_string() : reviewed->as_string());
    status = ledger.follow_up(claim_id, std::get<FollowUpRequest>(parsed), entry);
  } else {
    auto parsed = parse_claim(claim_document(scenario, step.at("claim")));
    if (auto* problems = std::get_if<Problems>(&parsed)) return match_error(expect, 422, *problems, run);
    status = ledger.submit(std::get<Claim>(parsed), entry);
  }
  if (!status.ok()) return match_error(expect, status_of(status.code), status.problems, run);
  run.result.decisions.push_back(json::serialize(entry.decision));
  if (expect.contains("status") && expect.at("status") != 201) {
    run.fail("expected status " + json::serialize(expect.at("status")) + ", got a decision");
    return;
  }
  match_decision(expect, entry.decision, run);
}

std::vector<fs::path> ruleset_paths(const json::object& scenario, const fs::path& root) {
  std::vector<fs::path> paths;
  if (const json::value* list = scenario.if_contains("rulesets")) {
    for (const auto& p : list->as_array()) paths.push_back(root / std::string(p.as_string()));
  } else {
    paths.push_back(root / "rules");
  }
  return paths;
}

}  // namespace

ScenarioResult run_scenario_file(const fs::path& file, const fs::path& root) {
  Run run;
  run.step_label = "load";
  std::string error;
  auto doc = read_json_file(file, error);
  if (!doc || !doc->is_object()) {
    run.fail(doc ? "a scenario is a JSON object" : error);
    return run.result;
  }
  const json::object& scenario = doc->as_object();
  run.result.name = scenario.contains("name") ? std::string(scenario.at("name").as_string()) : file.filename().string();
  auto rulesets = load_rulesets(ruleset_paths(scenario, root));
  if (auto* errors = std::get_if<std::vector<std::string>>(&rulesets)) {
    for (const auto& e : *errors) run.fail(e);
    return run.result;
  }
  auto catalogue = parse_catalogue_file(scenario.contains("catalogue") ? scenario.at("catalogue") : json::object());
  if (auto* problems = std::get_if<Problems>(&catalogue)) {
    for (const auto& p : *problems) run.fail("catalogue" + p.pointer + ": " + p.message);
    return run.result;
  }
  Ledger ledger(std::get<RulesetSet>(rulesets), std::get<MemoryCatalogue>(catalogue));
  const auto& steps = scenario.at("steps").as_array();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const json::object& step = steps[i].as_object();
    run.step_label = "step " + std::to_string(i + 1);
    if (step.contains("note")) run.step_label += " (" + std::string(step.at("note").as_string()) + ")";
    run_step(scenario, step, ledger, run);
  }
  run.result.passed = run.result.failures.empty();
  return run.result;
}

}  // namespace subsidy::app
