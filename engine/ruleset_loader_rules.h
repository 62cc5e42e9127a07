#pragma once
// Private to the ruleset loader: reads the "definitions" and "rules" sections of a ruleset
// document (docs/rulesets.md), compiles every expression (engine/expr/compiler.h) and indexes the
// rules by program and phase.

#include <boost/json/value.hpp>
#include <string>

#include "engine/ruleset.h"
#include "engine/ruleset_loader_common.h"

namespace subsidy::ruleset_loader {

// Reads `pointer` (an object: name -> expression source) into rs.definitions. Definitions are
// compiled where rules use them, with each rule's programs and phase.
void read_definitions(const boost::json::value& value, const std::string& pointer, Ruleset& rs, ErrorSink& sink);

// Reads and compiles every rule of the array at `pointer`, then checks the set as a whole (ids,
// one no_policy rule, one amount rule per program) and fills rs.by_program and rs.no_policy.
// REQUIRES: the parameters and definitions are read; rs.rules is empty.
void read_rules(const boost::json::value& value, const std::string& pointer, Ruleset& rs, ErrorSink& sink);

}  // namespace subsidy::ruleset_loader
