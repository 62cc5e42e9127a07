#pragma once
// Private to the ruleset loader: reads the "parameters" section of a ruleset document
// (docs/rulesets.md) into Ruleset::parameters and Ruleset::parameter_index.

#include <boost/json/value.hpp>
#include <optional>
#include <string>

#include "engine/calendar.h"
#include "engine/ruleset.h"
#include "engine/ruleset_loader_common.h"

namespace subsidy::ruleset_loader {

// Reads every parameter at `pointer` (an object: name -> {type, unit?, description, values}).
// A parameter whose type is known is indexed even when some of its values are wrong, so that
// rules using it are still checked. `effective_from`, when known, must not precede any
// parameter's first value. REQUIRES: rs.parameters is empty.
void read_parameters(const boost::json::value& value, const std::string& pointer, std::optional<Date> effective_from,
                     Ruleset& rs, ErrorSink& sink);

}  // namespace subsidy::ruleset_loader
