#pragma once
// Real, mixed claims for the store's long-log tests (tamper campaign, kill -9): valid resident ID
// numbers, a catalogue with a project_training class and a pre_job_training course, and a
// generator that decides and records them through the DecisionRecorder in a fixed order.
//
// One block (43 decisions) is: a project_training class of three trainees; ten people with three
// work_for_training claims of three months each (the third goes past the six-month cap), the
// tenth person's second and third under another name (held for review); a pre_job_training
// claim for each of them at the same entity (excluded by 以工代训); a clerk's review of the
// tenth person's second claim (two months approved, one rejected; the third claim stays held);
// and the class's settlement (two of three trainees passed).

#include "engine/decision.h"
#include "engine/memory_catalogue.h"
#include "engine/memory_history.h"
#include "engine/ruleset_set.h"
#include "store/decision_recorder.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::store::test {

inline constexpr int decisions_per_block = 43;

// A unique resident ID number (with its GB 11643 check character) for person n, 0 <= n < 6,000,000.
std::string generated_person_id(int n);

// The catalogue the generated claims name, and the repository's rulesets.
MemoryCatalogue generated_catalogue();
RulesetSet generated_rulesets();
// generated_catalogue() as an admin's PUTs would log it, and a 2020 work_for_training budget.
std::vector<NewRecord> generated_catalogue_records(const std::string& decided_at);

// The claims of the generator, by block and position.
boost::json::value generated_wft_claim(int person, int round);
boost::json::value generated_prejob_claim(int person);
boost::json::value generated_project_claim(int block);
boost::json::value generated_settlement(int block);
boost::json::value generated_review();

// What one decision of the stream is: a claim to record, or the settlement or review of claim_id.
struct GeneratedStep {
  std::optional<FollowUpKind> follow_up;  // a settlement or review of claim_id; nullopt: a claim
  std::string claim_id;                   // for a settlement or review
  boost::json::value body;                // the claim, or the settlement or review request
};
// Step i (0-based) of the endless stream of blocks.
GeneratedStep generated_step(std::uint64_t i);

// What deciding a step with the engine alone gave: the claim decided, and its program.
struct DecidedStep {
  std::string claim_id;
  Program program = Program::work_for_training;
};
// Decides step with the engine alone (no store), as the recorder would, and records it into
// history as seq. nullopt if the engine refused it (the generator's steps never are).
std::optional<DecidedStep> decide_generated_step(const GeneratedStep& step, Seq seq, MemoryHistory& history,
                                                 const CatalogueView& catalogue, const RulesetSet& rulesets,
                                                 Decision& out);

// Records step through the recorder (record_claim or record_follow_up).
Result<std::uint64_t> record_generated_step(DecisionRecorder& recorder, const GeneratedStep& step);

}  // namespace subsidy::store::test
