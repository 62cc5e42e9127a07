#include "store/migrations.h"

#include "audit/digest.h"
#include "store/record_codec.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

#include <array>
#include <cstdint>
#include <string>

namespace subsidy::store {
namespace {

// Version 1: the log, claims as received, the decision-line index, rulesets, signed heads.
// SQLite's INTEGER is 64-bit; PostgreSQL needs BIGINT. Text is TEXT on both. Columns that a
// record may lack hold '' (never NULL), so that every read binds plain values.
constexpr std::array<MigrationStatement, 10> v1_statements = {{
    {"CREATE TABLE log_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)", ""},
    {"CREATE TABLE log (seq INTEGER PRIMARY KEY CHECK (seq >= 1), type TEXT NOT NULL, record TEXT NOT NULL, "
     "prev_hash TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, decided_at TEXT NOT NULL)",
     "CREATE TABLE log (seq BIGINT PRIMARY KEY CHECK (seq >= 1), type TEXT NOT NULL, record TEXT NOT NULL, "
     "prev_hash TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, decided_at TEXT NOT NULL)"},
    {"CREATE TABLE claims (claim_id TEXT PRIMARY KEY, seq INTEGER NOT NULL REFERENCES log (seq), "
     "body TEXT NOT NULL, body_sha256 TEXT NOT NULL)",
     "CREATE TABLE claims (claim_id TEXT PRIMARY KEY, seq BIGINT NOT NULL REFERENCES log (seq), "
     "body TEXT NOT NULL, body_sha256 TEXT NOT NULL)"},
    {"CREATE TABLE decision_lines (seq INTEGER NOT NULL REFERENCES log (seq), line_index INTEGER NOT NULL, "
     "claim_id TEXT NOT NULL, subject TEXT NOT NULL, id_number TEXT NOT NULL, program TEXT NOT NULL, "
     "entity_code TEXT NOT NULL, status TEXT NOT NULL, amount_fen INTEGER NOT NULL, governing_month TEXT NOT NULL, "
     "period_start TEXT NOT NULL, period_end TEXT NOT NULL, PRIMARY KEY (seq, line_index))",
     "CREATE TABLE decision_lines (seq BIGINT NOT NULL REFERENCES log (seq), line_index INTEGER NOT NULL, "
     "claim_id TEXT NOT NULL, subject TEXT NOT NULL, id_number TEXT NOT NULL, program TEXT NOT NULL, "
     "entity_code TEXT NOT NULL, status TEXT NOT NULL, amount_fen BIGINT NOT NULL, governing_month TEXT NOT NULL, "
     "period_start TEXT NOT NULL, period_end TEXT NOT NULL, PRIMARY KEY (seq, line_index))"},
    // "Months already approved for person X under program P."
    {"CREATE INDEX decision_lines_months ON decision_lines (id_number, program, status, governing_month)", ""},
    // "Approvals of program P for person X at entity E."
    {"CREATE INDEX decision_lines_entity ON decision_lines (id_number, program, entity_code, status)", ""},
    // "Class lines of person X overlapping these dates."
    {"CREATE INDEX decision_lines_classes ON decision_lines (id_number, period_start, period_end)", ""},
    {"CREATE INDEX claims_seq ON claims (seq)", ""},
    {"CREATE TABLE rulesets (sha256 TEXT PRIMARY KEY, id TEXT NOT NULL, version TEXT NOT NULL, text TEXT NOT NULL)",
     ""},
    {"CREATE TABLE signed_heads (seq INTEGER NOT NULL, hash TEXT NOT NULL, merkle_root TEXT NOT NULL, "
     "signed_at TEXT NOT NULL, hash_alg TEXT NOT NULL, sig_alg TEXT NOT NULL, signature TEXT NOT NULL, "
     "public_key TEXT NOT NULL, key_id TEXT NOT NULL, PRIMARY KEY (seq, signed_at))",
     "CREATE TABLE signed_heads (seq BIGINT NOT NULL, hash TEXT NOT NULL, merkle_root TEXT NOT NULL, "
     "signed_at TEXT NOT NULL, hash_alg TEXT NOT NULL, sig_alg TEXT NOT NULL, signature TEXT NOT NULL, "
     "public_key TEXT NOT NULL, key_id TEXT NOT NULL, PRIMARY KEY (seq, signed_at))"},
}};

// Version 2: projections that LogStore::append writes beside each record in the same
// transaction (people, claim_decisions, approved_totals, catalogue_entries, budgets), and API
// tokens. A log appended before version 2 has them empty: rebuild it by replaying its records.
constexpr std::array<MigrationStatement, 7> v2_statements = {{
    // The reference name of each person: the first decision naming them (policy.md: Identity).
    // WITHOUT ROWID: the row lives in the key's B-tree, one leaf page per look-up.
    {"CREATE TABLE people (id_number TEXT PRIMARY KEY, name TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES log (seq)) "
     "WITHOUT ROWID",
     "CREATE TABLE people (id_number TEXT PRIMARY KEY, name TEXT NOT NULL, seq BIGINT NOT NULL REFERENCES log (seq))"},
    // Every decision of a claim, by kind: a settlement's class, GET /v1/claims/{id}.
    {"CREATE TABLE claim_decisions (claim_id TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES log (seq), "
     "kind TEXT NOT NULL, PRIMARY KEY (claim_id, seq))",
     "CREATE TABLE claim_decisions (claim_id TEXT NOT NULL, seq BIGINT NOT NULL REFERENCES log (seq), "
     "kind TEXT NOT NULL, PRIMARY KEY (claim_id, seq))"},
    // Approved amounts per program and year of the governing date, maintained on append, so that
    // a budget check never sums the lines.
    {"CREATE TABLE approved_totals (program TEXT NOT NULL, year INTEGER NOT NULL, total_fen INTEGER NOT NULL, "
     "PRIMARY KEY (program, year))",
     "CREATE TABLE approved_totals (program TEXT NOT NULL, year INTEGER NOT NULL, total_fen BIGINT NOT NULL, "
     "PRIMARY KEY (program, year))"},
    // The entry in force of each catalogue key: the last put replaces it (api.md).
    {"CREATE TABLE catalogue_entries (kind TEXT NOT NULL, key TEXT NOT NULL, entry TEXT NOT NULL, "
     "seq INTEGER NOT NULL REFERENCES log (seq), PRIMARY KEY (kind, key))",
     "CREATE TABLE catalogue_entries (kind TEXT NOT NULL, key TEXT NOT NULL, entry TEXT NOT NULL, "
     "seq BIGINT NOT NULL REFERENCES log (seq), PRIMARY KEY (kind, key))"},
    {"CREATE TABLE budgets (program TEXT NOT NULL, year INTEGER NOT NULL, amount_fen INTEGER NOT NULL, "
     "seq INTEGER NOT NULL REFERENCES log (seq), PRIMARY KEY (program, year))",
     "CREATE TABLE budgets (program TEXT NOT NULL, year INTEGER NOT NULL, amount_fen BIGINT NOT NULL, "
     "seq BIGINT NOT NULL REFERENCES log (seq), PRIMARY KEY (program, year))"},
    // API tokens: the SHA-256 of the secret only (token_store.h).
    {"CREATE TABLE tokens (id TEXT PRIMARY KEY, role TEXT NOT NULL, credit_code TEXT NOT NULL, label TEXT NOT NULL, "
     "secret_sha256 TEXT NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT NOT NULL)",
     ""},
    // The approved lines of initial and review decisions by person, in seq order: what a person's
    // history holds (StoreHistory), clustered by person so that a look-up reads one or two pages
    // however long the log is (SQLite: WITHOUT ROWID, the rows live in the primary key's B-tree).
    {"CREATE TABLE person_approvals (id_number TEXT NOT NULL, seq INTEGER NOT NULL REFERENCES log (seq), "
     "line_index INTEGER NOT NULL, claim_id TEXT NOT NULL, program TEXT NOT NULL, entity_code TEXT NOT NULL, "
     "governing_month TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
     "PRIMARY KEY (id_number, seq, line_index)) WITHOUT ROWID",
     "CREATE TABLE person_approvals (id_number TEXT NOT NULL, seq BIGINT NOT NULL REFERENCES log (seq), "
     "line_index INTEGER NOT NULL, claim_id TEXT NOT NULL, program TEXT NOT NULL, entity_code TEXT NOT NULL, "
     "governing_month TEXT NOT NULL, period_start TEXT NOT NULL, period_end TEXT NOT NULL, "
     "PRIMARY KEY (id_number, seq, line_index))"},
}};

// Version 3: indexes for the review queue and the reports (api.md). Partial indexes: SQLite and
// PostgreSQL take the same text.
constexpr std::array<MigrationStatement, 3> v3_statements = {{
    // "Claims with lines still held": only held lines are indexed, a small index however long the log.
    {"CREATE INDEX decision_lines_held ON decision_lines (seq, claim_id, subject) WHERE status = 'needs_review'", ""},
    // "Has a later review decided this line?"
    {"CREATE INDEX decision_lines_claim_subject ON decision_lines (claim_id, subject, seq)", ""},
    // Fund reports by the date money moved.
    {"CREATE INDEX log_decided_at ON log (decided_at, seq)", ""},
}};

// Version 4 (issue 10): the state decisions depend on is folded from the log in memory
// (app/state.h), so the projections that served it from SQL, and the decision-line indexes of
// the queries it once ran, go: disk grows with the work, not with copies of it.
constexpr std::array<MigrationStatement, 5> v4_statements = {{
    {"DROP TABLE people", ""},
    {"DROP TABLE approved_totals", ""},
    {"DROP INDEX decision_lines_months", ""},
    {"DROP INDEX decision_lines_entity", ""},
    {"DROP INDEX decision_lines_classes", ""},
}};

// Version 5 (issue 10): a claim's body is the request of its initial decision's record, which
// the log already holds; the claims row keeps only what idempotency needs (seq, body_sha256).
constexpr std::array<MigrationStatement, 1> v5_statements = {{
    {"ALTER TABLE claims DROP COLUMN body", ""},
}};

// Version 6 (issue 10): a record's text is stored as a zstd frame compressed with a dictionary
// the log keeps (record_codec.h); records before it stay text. The built-in dictionary is
// stored by store_builtin_dictionary() below, as hex (PostgreSQL's TEXT carries no raw bytes).
constexpr std::array<MigrationStatement, 1> v6_statements = {{
    {"CREATE TABLE record_dictionaries (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, dictionary TEXT NOT NULL)",
     "CREATE TABLE record_dictionaries (id BIGINT PRIMARY KEY, sha256 TEXT NOT NULL, dictionary TEXT NOT NULL)"},
}};

void store_builtin_dictionary(soci::session& sql) {
  RecordDictionary d = builtin_record_dictionary();
  auto id = static_cast<std::int64_t>(d.id);
  std::string sha256 = audit::to_hex(audit::hash(audit::HashAlg::sha256, audit::as_bytes(d.bytes)));
  std::string hex = audit::to_hex(audit::as_bytes(d.bytes));
  sql << "INSERT INTO record_dictionaries (id, sha256, dictionary) VALUES (:id, :sha256, :dictionary)", soci::use(id),
      soci::use(sha256), soci::use(hex);
}

constexpr std::array<Migration, 6> all_migrations = {{
    {1, "log, claims, decision lines, rulesets, signed heads", v1_statements},
    {2, "people, claim decisions, approved totals, catalogue, budgets, tokens", v2_statements},
    {3, "indexes for the review queue and fund reports", v3_statements},
    {4, "no SQL copies of the decision state (people, approved totals, history indexes)", v4_statements},
    {5, "no copy of a claim's body beside its record", v5_statements},
    {6, "record text compressed with a dictionary the log keeps", v6_statements, store_builtin_dictionary},
}};

constexpr std::string_view schema_version_ddl =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL)";

void apply_one(soci::session& sql, Backend backend, const Migration& m) {
  for (const MigrationStatement& s : m.statements) {
    std::string_view text = backend == Backend::postgresql && !s.postgresql.empty() ? s.postgresql : s.sqlite;
    sql << std::string(text);
  }
  if (m.then) m.then(sql);
  int version = m.version;
  std::string name(m.name);
  sql << "INSERT INTO schema_version (version, name) VALUES (:version, :name)", soci::use(version), soci::use(name);
}

int read_version(soci::session& sql) {
  int count = 0;
  sql << "SELECT COUNT(*) FROM schema_version", soci::into(count);
  if (count == 0) return 0;
  int version = 0;
  sql << "SELECT MAX(version) FROM schema_version", soci::into(version);
  return version;
}

}  // namespace

std::span<const Migration> migrations() { return all_migrations; }

int schema_version_latest() { return all_migrations.back().version; }

Status apply_migrations(soci::session& sql, Backend backend) {
  return guarded("applying schema migrations", [&]() -> Status {
    sql << std::string(schema_version_ddl);
    int stored = read_version(sql);
    if (stored > schema_version_latest()) {
      return store_error(StoreCode::corruption, "the database schema is version " + std::to_string(stored) +
                                                    ", newer than this build's " +
                                                    std::to_string(schema_version_latest()));
    }
    for (const Migration& m : all_migrations) {
      if (m.version > stored) apply_one(sql, backend, m);
    }
    return {};
  });
}

Result<int> stored_schema_version(soci::session& sql) {
  return guarded("reading the schema version", [&]() -> Result<int> { return read_version(sql); });
}

}  // namespace subsidy::store
