#pragma once
// Loads ruleset files (JSON text handed in by the caller: the engine does no I/O) into compiled
// Rulesets and answers which one governs a date. A broken file fails the whole load with every
// error found, each naming the file, the rule id and the position.

#include "engine/ruleset.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace subsidy {

struct RulesetSource {
  std::string file_name;  // for messages: "rules/hubin-2019/hubin-2019.ruleset.json"
  std::string text;
};

struct RulesetLoadError {
  std::string file_name;
  std::string rule_id;  // "" when the error is not inside a rule
  std::string pointer;  // JSON Pointer in the file: "/rules/4/require"
  std::size_t column = 0;  // in the expression, 0 when not an expression error
  std::string message;
  std::string to_string() const;  // "file: rule wft.cap_months at /rules/4/require, column 12: ..."
};

class RulesetSet {
 public:
  // Compiles every source; rulesets that extend another (by id) are merged onto it, so the base
  // must be among the sources. Two rulesets starting on the same day with overlapping ranges are
  // an error: which one governs must never be ambiguous.
  static std::variant<RulesetSet, std::vector<RulesetLoadError>> load(std::vector<RulesetSource> sources);

  // The ruleset in force on `d`: of those whose range contains it, the one that starts latest.
  // nullptr when none is.
  const Ruleset* governing(Date d) const;
  // The ruleset whose range is nearest to `d` (for the reason a line no ruleset governs).
  // REQUIRES: at least one ruleset is loaded.
  const Ruleset* nearest(Date d) const;
  const Ruleset* find(std::string_view id) const;
  const std::vector<std::unique_ptr<Ruleset>>& all() const { return rulesets_; }

 private:
  std::vector<std::unique_ptr<Ruleset>> rulesets_;  // ascending by effective_from
};

}  // namespace subsidy
