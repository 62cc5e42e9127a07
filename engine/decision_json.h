#pragma once
// The decision as the API and the log show it (api.md "Decision"): lines, reasons grouped by rule
// and message, disbursements, rulesets. The log layer adds seq, decided_at, prev_hash and hash.
// Deterministic: members in a fixed order, reasons in order of first appearance.

#include "engine/decision.h"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace subsidy {

// One member table (decision_json.cpp, write_decision) produces both forms below, members in
// RFC 8785 order; seq, when given, is the "seq" member a logged decision carries.
// REQUIRES: the rulesets the decision points into are alive.
boost::json::object decision_to_json(const Decision& decision, std::optional<Seq> seq = std::nullopt);

// The RFC 8785 (JCS) text of decision_to_json(decision) with "seq": seq added, written directly
// into out (replaced), without building JSON values: the replay compares it with the logged bytes.
// Equal to audit::canonical_json() of that object whenever the latter succeeds (tested in
// tests/store/decision_canonical_test.cpp); strings are not checked for valid UTF-8 nor integers
// for the 2^53 bound here, so text that canonical_json() would refuse never equals a canonical log.
void decision_to_canonical_json(const Decision& decision, Seq seq, std::string& out);
// The text of an eligibility answer (api.md): decision_to_json's members and "dry_run": true,
// as RFC 8785 text, written directly: a dry run builds no JSON values to answer.
std::string dry_run_text(const Decision& decision);
// The RFC 8785 text of the decision's "rulesets" array, appended to out.
void rulesets_to_canonical_json(const Decision& decision, std::string& out);

}  // namespace subsidy
