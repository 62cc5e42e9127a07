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

}  // namespace subsidy
