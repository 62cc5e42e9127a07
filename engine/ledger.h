#pragma once
// An in-memory ledger: decides claims, reviews and settlements one after another, numbers them with a
// gapless seq and feeds each decision back into the history the next one sees. This is the
// application's decision step without durability; the CLI, the scenario runner and the
// benchmark use it, and the server's store wraps the same steps with a log.

#include "engine/catalogue.h"
#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/evaluator.h"
#include "engine/follow_up.h"
#include "engine/memory_history.h"
#include "engine/memory_systems.h"
#include "engine/ruleset_set.h"

#include <boost/json/object.hpp>

#include <string>
#include <unordered_map>

namespace subsidy {

// decision_to_json(decision, seq): the decision as the log and the API show it.
boost::json::object numbered_decision_json(Seq seq, const Decision& decision);

struct LedgerEntry {
  Seq seq = 0;
  boost::json::object decision;  // decision_to_json, with "seq" first
};

class Ledger {
 public:
  // REQUIRES: rulesets and catalogue outlive the ledger.
  Ledger(const RulesetSet& rulesets, const CatalogueView& catalogue) : rulesets_(rulesets), catalogue_(catalogue) {}

  // Decides and records a claim. A claim_id seen before is a conflict (the server compares
  // bodies for idempotency; the ledger only guarantees one decision per claim_id).
  EvalStatus submit(const Claim& claim, LedgerEntry& out);
  // Decides and records a settlement or review of an earlier claim (follow_up.h).
  EvalStatus follow_up(std::string_view claim_id, const FollowUpRequest& request, LedgerEntry& out);
  // The same evaluation as submit, recording nothing (a dry run).
  EvalStatus check(const Claim& claim, Decision& out) const;

  // The fast path for benchmarks: decide and record without rendering JSON.
  EvalStatus submit_unrendered(const Claim& claim, Decision& out, Seq& seq);
  // Records a registry import of these persons (the file's SHA-256 names it) under the next
  // seq: from then on the registry holds each person as given (registry.md).
  Seq import_registry(const std::vector<RegisteredPerson>& persons, const std::string& sha256, std::size_t rows);
  // Records a class filing under the next seq; a class_id filed before is a conflict.
  EvalStatus file_class(const ClassFiling& filing, Seq& seq);

  const MemoryHistory& history() const { return history_; }
  MemoryHistory& history() { return history_; }
  const MemorySystems& systems() const { return systems_; }
  Seq last_seq() const { return next_seq_ - 1; }

 private:
  const RulesetSet& rulesets_;
  const CatalogueView& catalogue_;
  MemoryHistory history_;
  MemorySystems systems_;
  Seq next_seq_ = 1;
  Decision scratch_;
};

}  // namespace subsidy
