#pragma once
// decide(): a claim, what earlier decisions recorded, the catalogue, what the province's systems
// reported (the real-name registry) and the rulesets in; a
// decision out. settle() and review(): the same for the settlement of a project class and for a
// clerk's review of held lines. Pure: no I/O, no clock,
// no globals, so the same inputs give the same decision, byte for byte, in any process.

#include "engine/catalogue.h"
#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/history.h"
#include "engine/problem.h"
#include "engine/review.h"
#include "engine/ruleset_set.h"
#include "engine/systems_view.h"

#include <string>

namespace subsidy {

enum class EvalCode : std::uint8_t {
  ok,
  invalid_input,  // problems say what (422): e.g. a settlement without its required evidence
  not_found,      // the claim the request names does not exist (404)
  conflict,       // the request cannot apply in the claim's current state (409)
  overflow,       // an amount overflowed int64 fen; cannot happen with validated input
};

struct EvalStatus {
  EvalCode code = EvalCode::ok;
  std::string message;
  Problems problems;
  bool ok() const { return code == EvalCode::ok; }
};

// Decides a claim's initial decision into `out` (cleared first; its buffers are reused).
// REQUIRES: `claim` came from parse_claim. `out` points into `rulesets`: keep them alive together.
EvalStatus decide(const Claim& claim, const HistoryView& history, const CatalogueView& catalogue,
                  const SystemsView& systems, const RulesetSet& rulesets, Decision& out);

// Decides the settlement of a project_training claim whose advance is `claim_history`.
EvalStatus settle(const ClaimHistory& claim_history, const SettlementRequest& request,
                  const HistoryView& history, const CatalogueView& catalogue,
                  const SystemsView& systems, const RulesetSet& rulesets, Decision& out);

// Decides a clerk's review of lines that `claim_history`'s claim still holds: a `review` decision
// with the named lines only, in the claim's order. A rejected line is rejected with the ruleset's
// review_rejected reason; an approved one goes through every reject rule again as of now (the cap
// as it stands, the exclusions) and, when none fires, is paid (a class line: its advance) with
// the review_approved reason. conflict (problems point at /lines/i/subject) when a named line is
// not held.
EvalStatus review(const ClaimHistory& claim_history, const ReviewRequest& request, const HistoryView& history,
                  const CatalogueView& catalogue, const SystemsView& systems, const RulesetSet& rulesets,
                  Decision& out);

}  // namespace subsidy
