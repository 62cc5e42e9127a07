#pragma once
// Private to the ruleset loader: merges an amending ruleset document onto the document of the
// ruleset it extends (docs/rulesets.md, "Amending a ruleset"), so that the result reads and
// compiles like any other document.

#include <boost/json/value.hpp>
#include <string>

#include "engine/ruleset_loader_common.h"

namespace subsidy::ruleset_loader {

// The amendment's own members (id, version, title, effective, ...) with, from the base:
//  - parameters, where a parameter the amendment names gets the amendment's dated values added
//    (a date the base has is replaced) and its other members replaced; new parameters are added;
//  - definitions, replaced by name;
//  - rules, where an amendment rule with the same id and the same programs as a base rule takes
//    its place, and any other amendment rule is appended;
//  - targets, unless the amendment gives its own.
// Records in `sink` (the amendment's) where each part came from, so errors name the right file.
// REQUIRES: both documents are JSON objects.
boost::json::value merge_amendment(const boost::json::value& base, const std::string& base_file,
                                   const boost::json::value& amendment, ErrorSink& sink);

}  // namespace subsidy::ruleset_loader
