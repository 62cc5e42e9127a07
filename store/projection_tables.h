#pragma once
// Internal to store/: the SQL of the projection tables (RECORD_FORMAT.md, "Tables"), one function
// per statement, every value bound. Written by LogStore::append in its transaction (a decision's
// rows through append_statements.h); read by ClaimIndex and StoreCatalogue. Throw
// soci::soci_error, like log_tables.h.

#include <soci/soci.h>

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
struct ClaimDecisionRow {
  std::uint64_t seq = 0;
  std::string kind;
};
std::vector<ClaimDecisionRow> select_claim_decisions(soci::session& sql, const std::string& claim_id);

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
