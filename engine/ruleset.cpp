#include "engine/ruleset.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace subsidy {

expr::Value Ruleset::parameter_value(std::uint16_t index, Date on) const {
  assert(index < parameters.size());
  const std::vector<ParameterValue>& values = parameters[index].values;
  assert(!values.empty() && values.front().from <= on);
  // The last value that took effect on or before `on`.
  auto after =
      std::upper_bound(values.begin(), values.end(), on, [](Date d, const ParameterValue& v) { return d < v.from; });
  return after == values.begin() ? values.front().value : std::prev(after)->value;
}

const Parameter* Ruleset::find_parameter(std::string_view name) const {
  auto it = parameter_index.find(std::string(name));
  return it == parameter_index.end() ? nullptr : &parameters[it->second];
}

std::size_t Ruleset::parameter_epoch(Date on) const {
  return static_cast<std::size_t>(std::upper_bound(parameter_change_dates.begin(), parameter_change_dates.end(), on) -
                                  parameter_change_dates.begin());
}

void Ruleset::index_for_evaluation() {
  parameter_change_dates.clear();
  for (const Parameter& p : parameters) {
    for (const ParameterValue& v : p.values) parameter_change_dates.push_back(v.from);
  }
  std::sort(parameter_change_dates.begin(), parameter_change_dates.end());
  parameter_change_dates.erase(std::unique(parameter_change_dates.begin(), parameter_change_dates.end()),
                               parameter_change_dates.end());
  std::uint16_t ordinal = 0;
  for (Rule& rule : rules) {
    rule.ordinal = ordinal++;
    rule.reads_line = false;
    rule.reads_person = false;
    for (const auto* program : {rule.when ? &*rule.when : nullptr, rule.require ? &*rule.require : nullptr,
                                rule.reject_when ? &*rule.reject_when : nullptr}) {
      if (!program) continue;
      rule.reads_line = rule.reads_line || program->reads_line;
      rule.reads_person = rule.reads_person || program->reads_person;
    }
  }
}

}  // namespace subsidy
