#pragma once
// What a decision establishes for the history later decisions see (policy.md: Identity, caps,
// settlements): the first name of each person it names, approved months and trainings, yearly
// approved totals, a project class's advance and its settlement. One definition, applied to any
// history through a Sink, so that MemoryHistory and the store's StoreHistory cannot drift apart.
//
// A Sink provides:
//   PersonHistory& person(const IdNumber&);         // the person's history, created if absent
//   Fen& total(Program, int year);                  // the approved total, 0 if absent
//   void note_claim(const std::string& claim_id);   // an initial decision for claim_id exists
//   void put_class(const std::string& claim_id, ClaimHistory&&);
//   ClaimHistory& settled_class(const std::string& claim_id);  // REQUIRES: put_class() before
// A template rather than an interface: MemoryHistory::record is on the engine's hot path.

#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/history.h"

#include <cassert>

namespace subsidy::decision_effects {

// Most people reach the 6-month cap at most; one allocation then serves them all.
inline constexpr std::size_t wft_months_expected = 6;

// The first decision naming a person gives the reference name.
inline void note_name(PersonHistory& h, const Person& p, Seq seq) {
  if (h.first_name_seq == 0) {
    h.first_name = p.name;
    h.first_name_seq = seq;
  }
}

// The advance of a project class, as its settlement needs it.
inline ClaimHistory class_history(const Claim& claim, const Decision& decision, Seq seq) {
  ClaimHistory ch{claim, seq, {}, Fen(0), false};
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    ch.lines.push_back({claim.trainees[i].id_number, line.status == LineStatus::approved,
                        line.status == LineStatus::held, line.requested});
  }
  for (const Disbursement& d : decision.disbursements) ch.disbursed = checked_add(ch.disbursed, d.amount).value_or(ch.disbursed);
  return ch;
}

inline void apply_settlement(ClaimHistory& ch, const Decision& decision) {
  ch.settled = true;
  for (const Disbursement& d : decision.disbursements) {
    bool back = d.kind == DisbursementKind::recovery;
    auto next = back ? checked_sub(ch.disbursed, d.amount) : checked_add(ch.disbursed, d.amount);
    ch.disbursed = next.value_or(ch.disbursed);
  }
}

// An approved line of an initial (or review) decision, for the person it is about.
inline void add_approved_line(PersonHistory& h, const Claim& claim, const DecisionLine& line, Seq seq) {
  switch (claim.program) {
    case Program::work_for_training:
      if (h.wft_months.empty()) h.wft_months.reserve(wft_months_expected);
      h.wft_months.push_back({Month::of(line.governing_date), claim.entity.credit_code, seq});
      break;
    case Program::pre_job_training:
      h.approvals.push_back({Program::pre_job_training, claim.entity.credit_code, seq, *claim.training, claim.claim_id});
      break;
    case Program::project_training:
      h.approvals.push_back({Program::project_training, claim.entity.credit_code, seq, *claim.project->period, claim.claim_id});
      break;
  }
}

// The person line i of a decision is about.
inline const IdNumber& line_person(const Claim& claim, std::size_t i) {
  return claim.program == Program::project_training ? claim.trainees[i].id_number : claim.person->id_number;
}

template <class Sink>
void record(Sink& sink, const Claim& claim, const Decision& decision, Seq seq) {
  assert(seq > 0);
  if (decision.kind == DecisionKind::settlement) {
    apply_settlement(sink.settled_class(decision.claim_id), decision);
    return;
  }
  if (claim.person) note_name(sink.person(claim.person->id_number), *claim.person, seq);
  for (const Person& t : claim.trainees) note_name(sink.person(t.id_number), t, seq);
  sink.note_claim(claim.claim_id);
  if (claim.program == Program::project_training) sink.put_class(claim.claim_id, class_history(claim, decision, seq));
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    if (line.status != LineStatus::approved) continue;
    Fen& total = sink.total(claim.program, line.governing_date.year());
    total = checked_add(total, line.approved).value_or(total);
    add_approved_line(sink.person(line_person(claim, i)), claim, line, seq);
  }
}

}  // namespace subsidy::decision_effects
