#pragma once
// Folding the log into a State: each stored record read back, decoded into what apply() takes
// (the claim from the request, the decision's facts, a catalogue record as logged) and applied.
// The server builds its state this way at start, and follows records another server appended.

#include "app/apply.h"
#include "app/state.h"
#include "store/log_store.h"
#include "store/record.h"
#include "store/status.h"

#include <cstdint>

namespace subsidy::app {

// Applies one record read from the log (its chain already checked by LogStore::read). Errors
// (corruption, naming the seq): text that is not a record object, a request that is not a valid
// claim, a decision whose facts cannot be read (engine/decision_facts.h); those of apply().
store::Status fold_record(State& state, const store::StoredRecord& record);

// Applies every record of log after state.seq(), in pages, and returns how many. Errors: those of
// LogStore::read() and fold_record(); the records before the failing one stay applied.
store::Result<std::uint64_t> fold_log(State& state, store::LogStore& log);

}  // namespace subsidy::app
