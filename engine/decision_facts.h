#pragma once
// The facts of a logged decision: what later decisions depend on (decision_effects.h), read back
// from the decision as the log keeps it (decision_json.h writes it). Kind, claim_id, program,
// outcome, amounts, each line's subject, status, amounts and governing date, and the
// disbursements; rule hits, reasons and rulesets are not facts (they say why, not what) and stay
// empty. A second server, a snapshot's tail and the start-up fold apply logged decisions this way;
// tests/engine/decision_facts_test.cpp checks that the facts read back equal the decided ones.

#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/evaluator.h"

#include <boost/json/object.hpp>

#include <optional>

namespace subsidy {

// The date that governs the line of claim about subject, as the evaluator dated it: a month's
// last day, a pre-job training's first day, a class's first day. nullopt: no such line.
std::optional<Date> governing_date(const Claim& claim, const Subject& subject);

// Reads decision (decision_to_json's members; "seq" and others are ignored) made for claim: the
// claim as received, also for a review or settlement of it. Errors (invalid_input, naming the
// member as a JSON Pointer in problems): a missing or malformed member, a line whose subject is
// not one of the claim's.
EvalStatus decision_facts_from_json(const boost::json::object& decision, const Claim& claim, Decision& out);

}  // namespace subsidy
