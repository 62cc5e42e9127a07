#include "store/projection_tables.h"

namespace subsidy::store {

void upsert_catalogue_entry(soci::session& sql, const std::string& kind, const std::string& key,
                            const std::string& entry, std::uint64_t seq) {
  auto s = static_cast<std::int64_t>(seq);
  sql << "INSERT INTO catalogue_entries (kind, key, entry, seq) VALUES (:kind, :key, :entry, :seq) "
         "ON CONFLICT (kind, key) DO UPDATE SET entry = excluded.entry, seq = excluded.seq",
      soci::use(kind), soci::use(key), soci::use(entry), soci::use(s);
}

void upsert_budget(soci::session& sql, const std::string& program, int year, std::int64_t amount_fen,
                   std::uint64_t seq) {
  auto s = static_cast<std::int64_t>(seq);
  sql << "INSERT INTO budgets (program, year, amount_fen, seq) VALUES (:program, :year, :amount_fen, :seq) "
         "ON CONFLICT (program, year) DO UPDATE SET amount_fen = excluded.amount_fen, seq = excluded.seq",
      soci::use(program), soci::use(year), soci::use(amount_fen), soci::use(s);
}

std::vector<ClaimDecisionRow> select_claim_decisions(soci::session& sql, const std::string& claim_id) {
  std::int64_t seq = 0;
  std::string kind;
  soci::statement st = (sql.prepare << "SELECT seq, kind FROM claim_decisions WHERE claim_id = :claim_id ORDER BY seq",
                        soci::into(seq), soci::into(kind), soci::use(claim_id));
  std::vector<ClaimDecisionRow> out;
  st.execute();
  while (st.fetch()) out.push_back({static_cast<std::uint64_t>(seq), kind});
  return out;
}

std::vector<CatalogueEntryRow> select_catalogue_entries(soci::session& sql) {
  CatalogueEntryRow r;
  std::int64_t seq = 0;
  soci::statement st = (sql.prepare << "SELECT kind, key, entry, seq FROM catalogue_entries ORDER BY seq",
                        soci::into(r.kind), soci::into(r.key), soci::into(r.entry), soci::into(seq));
  std::vector<CatalogueEntryRow> out;
  st.execute();
  while (st.fetch()) {
    r.seq = static_cast<std::uint64_t>(seq);
    out.push_back(r);
  }
  return out;
}

std::vector<BudgetRow> select_budgets(soci::session& sql) {
  BudgetRow r;
  std::int64_t seq = 0;
  soci::statement st = (sql.prepare << "SELECT program, year, amount_fen, seq FROM budgets ORDER BY seq",
                        soci::into(r.program), soci::into(r.year), soci::into(r.amount_fen), soci::into(seq));
  std::vector<BudgetRow> out;
  st.execute();
  while (st.fetch()) {
    r.seq = static_cast<std::uint64_t>(seq);
    out.push_back(r);
  }
  return out;
}

}  // namespace subsidy::store
