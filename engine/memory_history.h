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

  // Every fact, for a snapshot (app/state_codec.h), in an order that restoring repeats exactly:
  // people and claim ids in the order they were first recorded, kept claims by claim_id,
  // totals by program and year.
  template <class Visit>  // Visit(const IdNumber&, const PersonHistory&)
  void each_person(Visit&& visit) const {
    std::vector<const IdNumber*> ids = person_index_.keys_by_slot();
    for (std::size_t slot = 0; slot < ids.size(); ++slot) visit(*ids[slot], people_[slot]);
  }
  std::vector<const std::string*> claim_ids() const { return claim_ids_.keys_by_slot(); }
  std::vector<std::pair<const std::string*, const ClaimHistory*>> kept_claims() const;
  const std::map<std::pair<Program, int>, Fen>& approved_totals() const { return approved_totals_; }
  // Restoring, in the order above. REQUIRES: each id_number and claim_id once.
  void restore_person(const IdNumber& id_number, PersonHistory person) { person_slot(id_number) = std::move(person); }
  void restore_claim_id(const std::string& claim_id);
  void restore_kept_claim(std::string claim_id, ClaimHistory claim) {
    kept_claims_.insert_or_assign(std::move(claim_id), std::move(claim));
  }
  void restore_total(Program program, int year, Fen total) { approved_totals_[{program, year}] = total; }

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
