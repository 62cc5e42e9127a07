#include "engine/decision.h"

#include <algorithm>
#include <cassert>

namespace subsidy {

Subject::Subject(std::string_view text) {
  assert(text.size() <= chars_max);
  std::copy_n(text.begin(), text.size(), chars_.begin());
  size_ = static_cast<std::uint8_t>(text.size());
}

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
