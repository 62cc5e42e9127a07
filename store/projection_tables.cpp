#include "store/projection_tables.h"

namespace subsidy::store {

std::optional<std::int64_t> select_approved_total(soci::session& sql, const std::string& program, int year) {
  std::int64_t total = 0;
  sql << "SELECT total_fen FROM approved_totals WHERE program = :program AND year = :year", soci::into(total),
      soci::use(program), soci::use(year);
  if (!sql.got_data()) return std::nullopt;
  return total;
}

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

// LEFT JOIN: a person named by a decision that approved nothing has a people row and no lines.
PersonQuery::PersonQuery(soci::session& sql)
    : statement_((sql.prepare << "SELECT p.name, p.seq, a.seq, a.claim_id, a.program, a.entity_code, a.governing_month, "
                                 "a.period_start, a.period_end FROM people p LEFT JOIN person_approvals a "
                                 "ON a.id_number = p.id_number WHERE p.id_number = :id_number "
                                 "ORDER BY a.seq, a.line_index",
                  soci::into(person_.name), soci::into(person_seq_), soci::into(line_seq_, line_seq_null_),
                  soci::into(line_.claim_id, text_null_[0]), soci::into(line_.program, text_null_[1]),
                  soci::into(line_.entity_code, text_null_[2]), soci::into(line_.governing_month, text_null_[3]),
                  soci::into(line_.period_start, text_null_[4]), soci::into(line_.period_end, text_null_[5]),
                  soci::use(id_number_))) {}

std::optional<PersonRow> PersonQuery::run(const std::string& id_number, std::vector<ApprovedLineRow>& lines) {
  lines.clear();
  id_number_ = id_number;
  statement_.execute();
  bool found = false;
  while (statement_.fetch()) {
    found = true;
    if (line_seq_null_ == soci::i_null) continue;  // the person's row alone
    line_.seq = static_cast<std::uint64_t>(line_seq_);
    lines.push_back(line_);
  }
  if (!found) return std::nullopt;
  return PersonRow{person_.name, static_cast<std::uint64_t>(person_seq_)};
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

std::optional<std::string> select_record_text(soci::session& sql, std::uint64_t seq) {
  auto s = static_cast<std::int64_t>(seq);
  std::string text;
  sql << "SELECT record FROM log WHERE seq = :seq", soci::into(text), soci::use(s);
  if (!sql.got_data()) return std::nullopt;
  return text;
}

bool claim_stored(soci::session& sql, const std::string& claim_id) {
  std::int64_t seq = 0;
  sql << "SELECT seq FROM claims WHERE claim_id = :claim_id", soci::into(seq), soci::use(claim_id);
  return sql.got_data();
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
