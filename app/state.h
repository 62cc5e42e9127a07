#pragma once
// What every decision sees: the history of earlier decisions, the catalogue and the person
// registry, as of one seq of
// the log. A State changes only through apply() (app/apply.h), one record after another in seq
// order, so the server's state, the auditor's replay and a second server on the same log are
// the same fold of the same records. In memory; no I/O.

#include "engine/history.h"
#include "engine/memory_catalogue.h"
#include "engine/memory_history.h"
#include "engine/memory_systems.h"

#include <utility>

namespace subsidy::app {

class State {
 public:
  State() = default;
  // A state whose catalogue starts as catalogue: entries from before the log's first record
  // (replay --catalogue).
  explicit State(MemoryCatalogue catalogue) : catalogue_(std::move(catalogue)) {}

  const HistoryView& history() const { return history_; }
  const MemoryHistory& memory_history() const { return history_; }
  const MemoryCatalogue& catalogue() const { return catalogue_; }
  const MemoryRegistry& registry() const { return systems_.registry(); }
  // The province's systems (the registry) as the rules read them.
  const SystemsView& systems() const { return systems_; }
  const MemorySystems& memory_systems() const { return systems_; }
  // The seq of the last record applied; 0 before the first.
  Seq seq() const { return seq_; }

  // The state a snapshot holds (app/state_codec.h): history, catalogue, registry and class
  // filings as of seq.
  static State restored(MemoryHistory history, MemoryCatalogue catalogue, MemorySystems systems, Seq seq) {
    State s;
    s.history_ = std::move(history);
    s.catalogue_ = std::move(catalogue);
    s.systems_ = std::move(systems);
    s.seq_ = seq;
    return s;
  }

  // Prepares for about this many people and claims (see MemoryHistory::reserve).
  void reserve(std::size_t people, std::size_t claims) { history_.reserve(people, claims); }

 private:
  friend class StateWriter;  // apply.cpp: the only code that changes a State
  MemoryHistory history_;
  MemoryCatalogue catalogue_;
  MemorySystems systems_;
  Seq seq_ = 0;
};

}  // namespace subsidy::app
