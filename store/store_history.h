#pragma once
// The HistoryView the server's evaluator reads, answered from the store (issue 3): the people,
// person_approvals, claim_decisions and approved_totals projections of the log (RECORD_FORMAT.md,
// "Tables (migration 2)"), each answer a look-up or two by key, and cached once read. It answers
// exactly what a MemoryHistory fed with the same decisions in seq order answers: both apply a
// decision with the same code (engine/decision_effects.h).
//
// The single writer (the server's sequencer) calls record() for each decision it has decided, so
// that the next claim of the same batch sees it before the batch commits. Not thread-safe.

#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/history.h"
#include "store/status.h"

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

class PersonQuery;  // projection_tables.h
struct ApprovedLineRow;

class StoreHistory final : public HistoryView {
 public:
  // Its own connection, opened like LogStore::open (migrations applied). Errors: those of
  // parse_connection_url(), open_session() and apply_migrations().
  static Result<std::unique_ptr<StoreHistory>> open(std::string_view url, std::size_t cached_people_max = 1'000'000);
  ~StoreHistory() override;
  StoreHistory(const StoreHistory&) = delete;
  StoreHistory& operator=(const StoreHistory&) = delete;

  // As MemoryHistory. Each loads from the store on a cache miss and caches what it loaded. A
  // database error throws StoreException (store_error.h; it is also a StoreError): the HistoryView interface has no error path.
  const PersonHistory* person(const IdNumber& id_number) const override;
  const ClaimHistory* claim(std::string_view claim_id) const override;
  Fen approved_total(Program program, int year) const override;

  // An initial decision for this claim_id exists, in the store or recorded. Throws as person().
  bool has_claim(std::string_view claim_id) const override;

  // What decision (made for claim, to be logged as seq) establishes, applied to the cache exactly
  // as MemoryHistory::record applies it, after loading from the store what it touches.
  // REQUIRES: seq is greater than every seq stored or recorded before. Throws as person().
  void record(const Claim& claim, const Decision& decision, Seq seq);

  // Forgets everything cached. REQUIRES: no pointer returned earlier is still in use.
  void discard_cache();
  std::size_t cached_people() const { return people_.size(); }
  std::size_t cached_people_max() const { return cached_people_max_; }

 private:
  friend struct StoreHistorySink;  // the Sink of decision_effects::record (store_history.cpp)
  StoreHistory(std::unique_ptr<soci::session> sql, std::size_t cached_people_max);

  PersonHistory& load_person(const IdNumber& id_number) const;  // cached, or loaded (maybe empty)
  ClaimHistory* load_claim(const std::string& claim_id) const;   // nullptr if not kept (history.h)
  Fen& load_total(Program program, int year) const;

  std::unique_ptr<soci::session> sql_;
  mutable std::unique_ptr<PersonQuery> person_query_;  // prepared on first use
  mutable std::vector<ApprovedLineRow> lines_;           // its rows, reused
  std::size_t cached_people_max_;
  // Caches. A person looked up and not found is cached too (empty first_name_seq): the next
  // look-up is then free. Values are node-stable, so pointers stay valid until discard_cache().
  mutable std::unordered_map<std::string, PersonHistory> people_;
  mutable std::unordered_map<std::string, std::optional<ClaimHistory>> kept_claims_;
  mutable std::unordered_map<std::string, bool> claim_ids_;
  mutable std::map<std::pair<Program, int>, Fen> totals_;
};

}  // namespace subsidy::store
