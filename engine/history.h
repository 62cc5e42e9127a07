#pragma once
// What the evaluator may know of earlier decisions: an interface, so that the engine stays pure.
// Tests and tools use MemoryHistory (memory_history.h); the server's store implements the same
// view over its database. Every fact carries the seq of the decision it comes from, so that a
// rule relying on it can name it in its reason's refs.

#include "engine/calendar.h"
#include "engine/claim.h"
#include "engine/money.h"
#include "engine/subject.h"
#include "engine/vocabulary.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

using Seq = std::uint64_t;

struct ApprovedMonth {
  Month month;
  CreditCode entity;
  Seq seq = 0;
};

// An approved pre-job training or project-class line for a person.
struct ProgramApproval {
  Program program = Program::pre_job_training;
  CreditCode entity;
  Seq seq = 0;
  Period period;         // the training or class dates
  std::string claim_id;  // so that a class never overlaps itself
};

struct PersonHistory {
  std::string first_name;  // the reference name for this id_number (policy.md: Identity)
  Seq first_name_seq = 0;
  std::vector<ApprovedMonth> wft_months;    // approved work-for-training months
  std::vector<ProgramApproval> approvals;   // approved pre-job and project lines
};

// One line of a claim as its initial decision and later reviews left it, as a review or a
// settlement needs it.
struct ClaimLineRecord {
  Subject subject;
  IdNumber id_number;  // the trainee (project_training) or the claim's person
  bool approved = false;
  bool held = false;   // still held for review
  Fen amount;          // requested: for a class, the standard recognised at the advance
};

// What a review or a settlement needs to know of its claim. Kept for every project class and
// for every other claim whose initial decision held a line (decision_effects::keeps_claim_history).
struct ClaimHistory {
  Claim claim;
  Seq initial_seq = 0;
  std::vector<ClaimLineRecord> lines;  // in the initial decision's order
  Fen disbursed;                       // money moved so far (advance, review payments)
  bool settled = false;
};

class HistoryView {
 public:
  virtual ~HistoryView() = default;
  // nullptr when no decision has recorded this id_number. Valid until the history changes.
  virtual const PersonHistory* person(const IdNumber& id_number) const = 0;
  // A project class, or a claim with held lines (what a review or a settlement needs); nullptr
  // when there is none.
  virtual const ClaimHistory* claim(std::string_view claim_id) const = 0;
  // Sum of approved line amounts of `program` whose governing date falls in `year`.
  virtual Fen approved_total(Program program, int year) const = 0;
  // Whether an initial decision for claim_id exists (kept or not).
  virtual bool has_claim(std::string_view claim_id) const = 0;
};

}  // namespace subsidy
