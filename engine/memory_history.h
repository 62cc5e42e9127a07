#pragma once
// A HistoryView kept in memory, fed decision by decision in seq order. Tests, the CLI and the
// benchmark use it; it is also the reference for what any other HistoryView must answer.

#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/history.h"

#include <functional>
#include <map>
#include <string>
#include <unordered_map>

namespace subsidy {

struct Code18Hash {
  std::size_t operator()(const Code18& c) const { return std::hash<std::string_view>()(c.view()); }
};

class MemoryHistory final : public HistoryView {
 public:
  // Records what `decision` (made for `claim`, logged as `seq`) establishes: first names of the
  // people it names, approved months and trainings, the claim's advance or settlement.
  // REQUIRES: seq is greater than every seq recorded before.
  void record(const Claim& claim, const Decision& decision, Seq seq);

  const PersonHistory* person(const IdNumber& id_number) const override;
  const ClaimHistory* claim(std::string_view claim_id) const override;
  Fen approved_total(Program program, int year) const override;

  std::size_t people() const { return people_.size(); }

 private:
  void note_name(const Person& p, Seq seq);
  void record_initial(const Claim& claim, const Decision& decision, Seq seq);
  void record_settlement(const Decision& decision);

  std::unordered_map<IdNumber, PersonHistory, Code18Hash> people_;
  std::unordered_map<std::string, ClaimHistory> claims_;
  std::map<std::pair<Program, int>, Fen> approved_totals_;
};

}  // namespace subsidy
