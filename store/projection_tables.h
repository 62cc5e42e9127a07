#pragma once
// Internal to store/: the SQL of the migration-2 projection tables (RECORD_FORMAT.md, "Tables"),
// one function per statement, every value bound. Written by LogStore::append in its transaction
// (a decision's rows through append_statements.h); read by StoreHistory and StoreCatalogue. Throw soci::soci_error, like log_tables.h.

#include <soci/soci.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::store {

// Writes (a decision's rows are append_statements.h's, prepared once per connection).
void upsert_catalogue_entry(soci::session& sql, const std::string& kind, const std::string& key,
                            const std::string& entry, std::uint64_t seq);
void upsert_budget(soci::session& sql, const std::string& program, int year, std::int64_t amount_fen,
                   std::uint64_t seq);

// Reads.
std::optional<std::int64_t> select_approved_total(soci::session& sql, const std::string& program, int year);
struct PersonRow {
  std::string name;
  std::uint64_t seq = 0;
};

// An approved line about a person, of an initial or review decision (never a settlement's).
struct ApprovedLineRow {
  std::uint64_t seq = 0;
  std::string claim_id, program, entity_code, governing_month, period_start, period_end;
};

// A person's `people` row and `person_approvals` rows, in one statement that is prepared once
// and run for every look-up: StoreHistory's cold path, so neither parsing nor a second read
// transaction is paid per person.
class PersonQuery {
 public:
  explicit PersonQuery(soci::session& sql);
  // nullopt when no decision named the person; else the row, with `lines` (cleared first) in seq
  // order, then line order: the order in which a MemoryHistory recorded them.
  std::optional<PersonRow> run(const std::string& id_number, std::vector<ApprovedLineRow>& lines);

 private:
  std::string id_number_;
  PersonRow person_;
  std::int64_t person_seq_ = 0;
  std::int64_t line_seq_ = 0;
  ApprovedLineRow line_;
  soci::indicator line_seq_null_ = soci::i_ok;
  std::array<soci::indicator, 6> text_null_{};
  soci::statement statement_;
};

struct ClaimDecisionRow {
  std::uint64_t seq = 0;
  std::string kind;
};
std::vector<ClaimDecisionRow> select_claim_decisions(soci::session& sql, const std::string& claim_id);
// The canonical record text of seq, or nullopt.
std::optional<std::string> select_record_text(soci::session& sql, std::uint64_t seq);
bool claim_stored(soci::session& sql, const std::string& claim_id);

struct CatalogueEntryRow {
  std::string kind, key, entry;
  std::uint64_t seq = 0;
};
std::vector<CatalogueEntryRow> select_catalogue_entries(soci::session& sql);
struct BudgetRow {
  std::string program;
  int year = 0;
  std::int64_t amount_fen = 0;
  std::uint64_t seq = 0;
};
std::vector<BudgetRow> select_budgets(soci::session& sql);

}  // namespace subsidy::store
