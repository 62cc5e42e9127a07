#pragma once
// A HistoryView kept in memory, fed decision by decision in seq order. Tests, the CLI and the
// benchmark use it; it is also the reference for what any other HistoryView must answer.

#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/flat_index.h"
#include "engine/history.h"

#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace subsidy {

struct Code18Hash {
  std::size_t operator()(const Code18& c) const { return std::hash<std::string_view>()(c.view()); }
};
struct TextHash {
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
};

class MemoryHistory final : public HistoryView {
 public:
  // Records what `decision` (made for `claim`, logged as `seq`) establishes: first names of the
  // people it names, approved months and trainings, the claim's advance or settlement
  // (decision_effects.h).
  // REQUIRES: seq is greater than every seq recorded before.
  void record(const Claim& claim, const Decision& decision, Seq seq);

  const PersonHistory* person(const IdNumber& id_number) const override;
  const ClaimHistory* claim(std::string_view claim_id) const override;
  Fen approved_total(Program program, int year) const override;

  // Whether any decision was recorded for this claim_id (every program).
  bool has_claim(std::string_view claim_id) const override;
  // Prepares for about this many people and claims, so that growth does not rehash.
  void reserve(std::size_t people, std::size_t claims);
  std::size_t people() const { return people_.size(); }

 private:
  friend struct MemoryHistorySink;  // the Sink of decision_effects::record (memory_history.cpp)

  PersonHistory& person_slot(const IdNumber& id_number);

  FlatIndex<IdNumber, Code18Hash> person_index_;
  std::vector<PersonHistory> people_;  // by person_index_ slot
  FlatIndex<std::string, TextHash, std::equal_to<>> claim_ids_;
  // Only classes and claims with held lines are reviewed or settled, so only they keep their
  // claim (a copy) and lines (decision_effects::keeps_claim_history).
  std::unordered_map<std::string, ClaimHistory> kept_claims_;
  std::map<std::pair<Program, int>, Fen> approved_totals_;
};

}  // namespace subsidy
