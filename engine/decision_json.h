#pragma once
// The decision as the API and the log show it (api.md "Decision"): lines, reasons grouped by rule
// and message, disbursements, rulesets. The log layer adds seq, decided_at, prev_hash and hash.
// Deterministic: members in a fixed order, reasons in order of first appearance.

#include "engine/decision.h"

#include <boost/json/object.hpp>

namespace subsidy {

// REQUIRES: the rulesets the decision points into are alive.
boost::json::object decision_to_json(const Decision& decision);

}  // namespace subsidy
