#pragma once
// What a decision establishes for the history later decisions see (policy.md: Identity, caps,
// reviews, settlements): the first name of each person it names, approved months and trainings,
// yearly approved totals, a claim's held lines and their review, a class's advance and its
// settlement. One definition, applied to a history through a Sink; MemoryHistory is the one the
// application's state keeps (app/state.h, changed only by app/apply.h).
//
// A Sink provides:
//   PersonHistory& person(const IdNumber&);         // the person's history, created if absent
//   Fen& total(Program, int year);                  // the approved total, 0 if absent
//   void note_claim(const std::string& claim_id);   // an initial decision for claim_id exists
//   void put_claim(const std::string& claim_id, ClaimHistory&&);
//   ClaimHistory& kept_claim(const std::string& claim_id);  // REQUIRES: put_claim() before
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

// The person line i of an initial decision is about.
inline const IdNumber& line_person(const Claim& claim, std::size_t i) {
  return claim.program == Program::project_training ? claim.trainees[i].id_number : claim.person->id_number;
}

// The person a line with this subject is about (a review's lines are some of the claim's).
// REQUIRES: for a class, subject is one of its trainees.
inline const IdNumber& subject_person(const Claim& claim, const Subject& subject) {
  if (claim.program != Program::project_training) return claim.person->id_number;
  for (const Person& t : claim.trainees) {
    if (t.id_number.view() == subject.view()) return t.id_number;
  }
  assert(false && "a class line whose subject is not a trainee");
  return claim.trainees.front().id_number;
}

// Which claims later decisions need to know (a review or a settlement): every project class, and
// any other claim whose initial decision held a line for review.
inline bool keeps_claim_history(const Claim& claim, const Decision& initial) {
  if (claim.program == Program::project_training) return true;
  for (const DecisionLine& line : initial.lines) {
    if (line.status == LineStatus::held) return true;
  }
  return false;
}

inline void add_disbursed(ClaimHistory& ch, const Decision& decision) {
  for (const Disbursement& d : decision.disbursements) ch.disbursed = checked_add(ch.disbursed, d.amount).value_or(ch.disbursed);
}

// A claim as its initial decision left it.
inline ClaimHistory claim_history(const Claim& claim, const Decision& decision, Seq seq) {
  ClaimHistory ch{claim, seq, {}, Fen(0), false};
  ch.lines.reserve(decision.lines.size());
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    ch.lines.push_back({line.subject, line_person(claim, i), line.status == LineStatus::approved,
                        line.status == LineStatus::held, line.requested});
  }
  add_disbursed(ch, decision);
  return ch;
}

// A review decides some held lines: each is now approved or rejected, and no longer held.
inline void apply_review(ClaimHistory& ch, const Decision& decision) {
  for (const DecisionLine& line : decision.lines) {
    for (ClaimLineRecord& record : ch.lines) {
      if (record.subject != line.subject) continue;
      record.held = false;
      record.approved = line.status == LineStatus::approved;
      record.amount = line.requested;
    }
  }
  add_disbursed(ch, decision);
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

template <class Sink>
void add_approved(Sink& sink, const Claim& claim, const DecisionLine& line, const IdNumber& person, Seq seq) {
  Fen& total = sink.total(claim.program, line.governing_date.year());
  total = checked_add(total, line.approved).value_or(total);
  add_approved_line(sink.person(person), claim, line, seq);
}

// `claim` is the claim as received, also for a review or a settlement of it.
template <class Sink>
void record(Sink& sink, const Claim& claim, const Decision& decision, Seq seq) {
  assert(seq > 0);
  if (decision.kind == DecisionKind::settlement) {
    apply_settlement(sink.kept_claim(decision.claim_id), decision);
    return;
  }
  if (decision.kind == DecisionKind::review) {
    apply_review(sink.kept_claim(decision.claim_id), decision);
    for (const DecisionLine& line : decision.lines) {
      if (line.status == LineStatus::approved) add_approved(sink, claim, line, subject_person(claim, line.subject), seq);
    }
    return;
  }
  if (claim.person) note_name(sink.person(claim.person->id_number), *claim.person, seq);
  for (const Person& t : claim.trainees) note_name(sink.person(t.id_number), t, seq);
  sink.note_claim(claim.claim_id);
  if (keeps_claim_history(claim, decision)) sink.put_claim(claim.claim_id, claim_history(claim, decision, seq));
  for (std::size_t i = 0; i < decision.lines.size(); ++i) {
    const DecisionLine& line = decision.lines[i];
    if (line.status == LineStatus::approved) add_approved(sink, claim, line, line_person(claim, i), seq);
  }
}

}  // namespace subsidy::decision_effects
