#include "engine/memory_history.h"

#include <algorithm>
#include <cassert>

namespace subsidy {
namespace {
// Most people reach the 6-month cap at most; one allocation then serves them all.
constexpr std::size_t wft_months_expected = 6;
}  // namespace

PersonHistory& MemoryHistory::person_slot(const IdNumber& id_number) {
  bool inserted = false;
  std::uint32_t slot = person_index_.insert(id_number, inserted);
  if (inserted) people_.emplace_back();
  return people_[slot];
}

void MemoryHistory::note_name(const Person& p, Seq seq) {
  PersonHistory& h = person_slot(p.id_number);
  if (h.first_name_seq == 0) {
    h.first_name = p.name;
    h.first_name_seq = seq;
  }
}

void MemoryHistory::record(const Claim& claim, const Decision& decision, Seq seq) {
  assert(seq > 0);
  if (decision.kind == DecisionKind::settlement) {
    record_settlement(decision);
    return;
  }
  if (claim.person) note_name(*claim.person, seq);
  for (const Person& t : claim.trainees) note_name(t, seq);
  record_initial(claim, decision, seq);
}

void MemoryHistory::record_initial(const Claim& claim, const Decision& decision, Seq seq) {
  bool inserted = false;
  claim_ids_.insert(claim.claim_id, inserted);
  if (claim.program == Program::project_training) record_class(claim, decision, seq);
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    if (line.status != LineStatus::approved) continue;
    Fen& total = approved_totals_[{claim.program, line.governing_date.year()}];
    total = checked_add(total, line.approved).value_or(total);
    switch (claim.program) {
      case Program::work_for_training: {
        auto& months = person_slot(claim.person->id_number).wft_months;
        if (months.empty()) months.reserve(wft_months_expected);
        months.push_back({Month::of(line.governing_date), claim.entity.credit_code, seq});
        break;
      }
      case Program::pre_job_training:
        person_slot(claim.person->id_number).approvals.push_back(
            {Program::pre_job_training, claim.entity.credit_code, seq, *claim.training, claim.claim_id});
        break;
      case Program::project_training:
        person_slot(claim.trainees[i].id_number).approvals.push_back(
            {Program::project_training, claim.entity.credit_code, seq, *claim.project->period, claim.claim_id});
        break;
    }
  }
}

void MemoryHistory::record_class(const Claim& claim, const Decision& decision, Seq seq) {
  ClaimHistory ch{claim, seq, {}, Fen(0), false};
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    ch.lines.push_back({claim.trainees[i].id_number, line.status == LineStatus::approved,
                        line.status == LineStatus::held, line.requested});
  }
  for (const Disbursement& d : decision.disbursements) ch.disbursed = checked_add(ch.disbursed, d.amount).value_or(ch.disbursed);
  classes_.insert_or_assign(claim.claim_id, std::move(ch));
}

void MemoryHistory::record_settlement(const Decision& decision) {
  auto it = classes_.find(decision.claim_id);
  assert(it != classes_.end());
  ClaimHistory& ch = it->second;
  ch.settled = true;
  for (const Disbursement& d : decision.disbursements) {
    bool back = d.kind == DisbursementKind::recovery;
    auto next = back ? checked_sub(ch.disbursed, d.amount) : checked_add(ch.disbursed, d.amount);
    ch.disbursed = next.value_or(ch.disbursed);
  }
}

const PersonHistory* MemoryHistory::person(const IdNumber& id_number) const {
  auto slot = person_index_.find(id_number);
  return slot ? &people_[*slot] : nullptr;
}

const ClaimHistory* MemoryHistory::claim(std::string_view claim_id) const {
  auto it = classes_.find(std::string(claim_id));
  return it == classes_.end() ? nullptr : &it->second;
}

bool MemoryHistory::has_claim(std::string_view claim_id) const { return claim_ids_.find(claim_id).has_value(); }

void MemoryHistory::reserve(std::size_t people, std::size_t claims) {
  person_index_.reserve(people);
  people_.reserve(people);
  claim_ids_.reserve(claims);
}

Fen MemoryHistory::approved_total(Program program, int year) const {
  auto it = approved_totals_.find({program, year});
  return it == approved_totals_.end() ? Fen(0) : it->second;
}

}  // namespace subsidy
