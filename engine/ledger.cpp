#include "engine/ledger.h"

#include "engine/decision_json.h"

namespace subsidy {
boost::json::object numbered_decision_json(Seq seq, const Decision& decision) { return decision_to_json(decision, seq); }

EvalStatus Ledger::submit_unrendered(const Claim& claim, Decision& out, Seq& seq) {
  if (history_.has_claim(claim.claim_id)) {
    return {EvalCode::conflict, "claim_id " + claim.claim_id + " was already decided", {}};
  }
  EvalStatus status = decide(claim, history_, catalogue_, systems_, rulesets_, out);
  if (!status.ok()) return status;
  seq = next_seq_++;
  history_.record(claim, out, seq);
  return status;
}

EvalStatus Ledger::submit(const Claim& claim, LedgerEntry& out) {
  EvalStatus status = submit_unrendered(claim, scratch_, out.seq);
  if (status.ok()) out.decision = numbered_decision_json(out.seq, scratch_);
  return status;
}

EvalStatus Ledger::follow_up(std::string_view claim_id, const FollowUpRequest& request, LedgerEntry& out) {
  EvalStatus status = decide_follow_up(claim_id, request, history_, catalogue_, systems_, rulesets_, scratch_);
  if (!status.ok()) return status;
  out.seq = next_seq_++;
  // The kept claim stays where it is while record() updates its lines (a node of a hash map).
  history_.record(history_.claim(claim_id)->claim, scratch_, out.seq);
  out.decision = numbered_decision_json(out.seq, scratch_);
  return status;
}

Seq Ledger::import_registry(const std::vector<RegisteredPerson>& persons, const std::string& sha256, std::size_t rows) {
  Seq seq = next_seq_++;
  for (const RegisteredPerson& person : persons) systems_.registry().replace(person, seq);
  systems_.registry().note_import_part(sha256, seq, 1, rows, persons.size());
  return seq;
}

EvalStatus Ledger::file_class(const ClassFiling& filing, Seq& seq) {
  if (systems_.class_filing(filing.class_id) != nullptr) {
    return {EvalCode::conflict, "class_id " + filing.class_id + " was already filed", {}};
  }
  seq = next_seq_++;
  systems_.file_class(filing, seq);
  return {};
}

EvalStatus Ledger::check(const Claim& claim, Decision& out) const {
  return decide(claim, history_, catalogue_, systems_, rulesets_, out);
}

}  // namespace subsidy
