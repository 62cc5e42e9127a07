#include "engine/memory_history.h"

#include "engine/decision_effects.h"

#include <algorithm>
#include <cassert>

namespace subsidy {

// decision_effects::record's view of a MemoryHistory.
struct MemoryHistorySink {
  MemoryHistory& h;
  PersonHistory& person(const IdNumber& id_number) { return h.person_slot(id_number); }
  Fen& total(Program program, int year) { return h.approved_totals_[{program, year}]; }
  void note_claim(const std::string& claim_id) {
    bool inserted = false;
    h.claim_ids_.insert(claim_id, inserted);
  }
  void put_claim(const std::string& claim_id, ClaimHistory&& ch) { h.kept_claims_.insert_or_assign(claim_id, std::move(ch)); }
  ClaimHistory& kept_claim(const std::string& claim_id) {
    auto it = h.kept_claims_.find(claim_id);
    assert(it != h.kept_claims_.end());
    return it->second;
  }
};

PersonHistory& MemoryHistory::person_slot(const IdNumber& id_number) {
  bool inserted = false;
  std::uint32_t slot = person_index_.insert(id_number, inserted);
  if (inserted) people_.emplace_back();
  return people_[slot];
}

void MemoryHistory::record(const Claim& claim, const Decision& decision, Seq seq) {
  MemoryHistorySink sink{*this};
  decision_effects::record(sink, claim, decision, seq);
}

const PersonHistory* MemoryHistory::person(const IdNumber& id_number) const {
  auto slot = person_index_.find(id_number);
  return slot ? &people_[*slot] : nullptr;
}

const ClaimHistory* MemoryHistory::claim(std::string_view claim_id) const {
  auto it = kept_claims_.find(std::string(claim_id));
  return it == kept_claims_.end() ? nullptr : &it->second;
}

bool MemoryHistory::has_claim(std::string_view claim_id) const { return claim_ids_.find(claim_id).has_value(); }

std::vector<std::pair<const std::string*, const ClaimHistory*>> MemoryHistory::kept_claims() const {
  std::vector<std::pair<const std::string*, const ClaimHistory*>> out;
  out.reserve(kept_claims_.size());
  for (const auto& [id, ch] : kept_claims_) out.emplace_back(&id, &ch);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return *a.first < *b.first; });
  return out;
}

void MemoryHistory::restore_claim_id(const std::string& claim_id) {
  bool inserted = false;
  claim_ids_.insert(claim_id, inserted);
}

void MemoryHistory::reserve(std::size_t people, std::size_t claims) {
  person_index_.reserve(people);
  people_.reserve(people);
  claim_ids_.reserve(claims);
}

Fen MemoryHistory::approved_total(Program program, int year) const {
  auto it = approved_totals_.find({program, year});
  return it == approved_totals_.end() ? Fen(0) : it->second;
}

}  // namespace subsidy
