#include "engine/decision.h"

namespace subsidy {

void Decision::clear() {
  claim_id.clear();
  program = Program::work_for_training;
  kind = DecisionKind::initial;
  outcome = Outcome::rejected;
  requested = Fen(0);
  approved = Fen(0);
  disbursements.clear();
  lines.clear();
  hits.clear();
  claim_hits_begin = 0;
  refs.clear();
  ruleset = nullptr;
  rulesets.clear();
}

}  // namespace subsidy
