#pragma once
// The one transition of the state machine over the log: apply(state, record) changes a State by
// what one log record establishes (RECORD_FORMAT.md), in seq order. The server applies each
// decision it makes, the start-up fold and a second server apply records read back from the log
// (app/log_fold.h), and the auditor's replay applies each record it has re-decided: there is no
// other code that says what a record means to later decisions. Pure: no I/O.
//
// A decision record: the people it names and their first names, approved months and trainings,
// yearly approved totals, a kept claim's lines, advance, review and settlement
// (engine/decision_effects.h). A catalogue or budget record: the catalogue entry or budget it
// puts (store/catalogue_records.h). A registry import record: the persons it registers
// (store/registry_records.h). A ruleset record changes nothing yet.

#include "app/state.h"
#include "engine/claim.h"
#include "engine/decision.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <string_view>

namespace subsidy::app {

// One log record, as apply() takes it. Build it with one of the functions below.
struct AppliedRecord {
  Seq seq = 0;
  std::string_view type;                         // store/record_format.h
  const Claim* claim = nullptr;                  // an initial decision: its claim as received
  const Decision* decision = nullptr;            // a decision: its facts (engine/decision_facts.h) suffice
  const boost::json::object* record = nullptr;   // a catalogue or budget record, "type" included
};

// An initial decision of claim, or a review or settlement of a claim the state keeps (then claim
// is not needed: the state has it).
AppliedRecord decision_record(Seq seq, const Claim* claim, const Decision& decision);
// Whether records of type change the state through their body (catalogue_record()), so that a
// fold parses it: catalogue, budget and registry import records.
bool applies_body(std::string_view type);
// A catalogue, budget or registry import record as logged (with its "type" member).
AppliedRecord catalogue_record(Seq seq, std::string_view type, const boost::json::object& record);
// A record of a type that changes no state yet.
AppliedRecord inert_record(Seq seq, std::string_view type);
// A record the auditor's replay reports as unreadable: the state moves past it unchanged, so
// that every later record can still be checked. Nothing else skips a record.
AppliedRecord skipped_record(Seq seq);

// Applies record to state. Errors (corruption, naming record.seq): a seq other than
// state.seq() + 1; an initial decision without its claim, for another claim_id, or of a claim
// decided before; a review or settlement of a claim the state does not keep; a malformed
// catalogue or budget record; an unknown type. On an error state is unchanged.
store::Status apply(State& state, const AppliedRecord& record);

}  // namespace subsidy::app
