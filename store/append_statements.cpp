#include "store/append_statements.h"

namespace subsidy::store {

using soci::into;
using soci::use;

namespace {

// SQLite keeps a compressed record as a BLOB, so that its tools show it as bytes, not as text.
std::string insert_record_sql(Backend backend) {
  return std::string("INSERT INTO log (seq, type, record, prev_hash, hash, decided_at) VALUES (:seq, :type, ") +
         (backend == Backend::sqlite ? "CAST(:record AS BLOB)" : ":record") + ", :prev_hash, :hash, :decided_at)";
}

}  // namespace

AppendStatements::AppendStatements(soci::session& sql, Backend backend, RecordCodec& codec)
    : codec_(codec),
      insert_record_((sql.prepare << insert_record_sql(backend), use(seq_), use(record_.type), use(stored_),
                      use(record_.prev_hash), use(record_.hash), use(record_.decided_at))),
      insert_claim_((sql.prepare << "INSERT INTO claims (claim_id, seq, body_sha256) "
                                    "VALUES (:claim_id, :seq, :body_sha256)",
                     use(claim_.claim_id), use(seq_), use(claim_.body_sha256))),
      insert_line_((sql.prepare << "INSERT INTO decision_lines (seq, line_index, claim_id, subject, id_number, program, "
                                   "entity_code, status, amount_fen, governing_month, period_start, period_end) VALUES "
                                   "(:seq, :line_index, :claim_id, :subject, :id_number, :program, :entity_code, "
                                   ":status, :amount_fen, :governing_month, :period_start, :period_end)",
                    use(seq_), use(line_.line_index), use(line_.claim_id), use(line_.subject), use(line_.id_number),
                    use(line_.program), use(line_.entity_code), use(line_.status), use(line_.amount_fen),
                    use(line_.governing_month), use(line_.period_start), use(line_.period_end))),
      insert_person_approval_((sql.prepare << "INSERT INTO person_approvals (id_number, seq, line_index, claim_id, "
                                              "program, entity_code, governing_month, period_start, period_end) VALUES "
                                              "(:id_number, :seq, :line_index, :claim_id, :program, :entity_code, "
                                              ":governing_month, :period_start, :period_end)",
                               use(line_.id_number), use(seq_), use(line_.line_index), use(line_.claim_id),
                               use(line_.program), use(line_.entity_code), use(line_.governing_month),
                               use(line_.period_start), use(line_.period_end))),
      insert_claim_decision_((sql.prepare << "INSERT INTO claim_decisions (claim_id, seq, kind) "
                                             "VALUES (:claim_id, :seq, :kind)",
                              use(claim_id_), use(seq_), use(kind_))),
      select_claim_seq_((sql.prepare << "SELECT seq FROM claims WHERE claim_id = :claim_id", into(found_seq_),
                         use(claim_id_))),
      select_claim_record_((sql.prepare << "SELECT l.record FROM claims c JOIN log l ON l.seq = c.seq "
                                           "WHERE c.claim_id = :claim_id",
                            into(text_), use(claim_id_))),
      select_ruleset_count_((sql.prepare << "SELECT COUNT(*) FROM rulesets WHERE sha256 = :sha256", into(count_),
                             use(sha256_))) {}

void AppendStatements::insert_record(const StoredRecord& record) {
  record_.type = record.type;
  record_.prev_hash = record.prev_hash;
  record_.hash = record.hash;
  record_.decided_at = record.decided_at;
  stored_ = codec_.encode(record.canonical);
  seq_ = static_cast<std::int64_t>(record.seq);
  insert_record_.execute(true);
}

void AppendStatements::insert_claim(const ClaimRow& claim) {
  claim_ = claim;
  seq_ = static_cast<std::int64_t>(claim.seq);
  insert_claim_.execute(true);
}

void AppendStatements::insert_line(const LineRow& line) {
  line_ = line;
  seq_ = static_cast<std::int64_t>(line.seq);
  insert_line_.execute(true);
}

void AppendStatements::insert_person_approval(const LineRow& line) {
  line_ = line;
  seq_ = static_cast<std::int64_t>(line.seq);
  insert_person_approval_.execute(true);
}

void AppendStatements::insert_claim_decision(const std::string& claim_id, std::uint64_t seq, const std::string& kind) {
  claim_id_ = claim_id;
  seq_ = static_cast<std::int64_t>(seq);
  kind_ = kind;
  insert_claim_decision_.execute(true);
}

namespace {

// Runs a query of at most one row and steps past it, so that the statement is finished: a
// prepared SELECT left on its row would keep its read snapshot after the commit, and SQLite
// refuses the next write transaction once another connection (a signed head) has written.
bool query_one(soci::statement& select) {
  bool found = select.execute(true);
  while (select.fetch()) {
  }
  return found;
}

}  // namespace

bool AppendStatements::claim_stored(const std::string& claim_id) {
  claim_id_ = claim_id;
  return query_one(select_claim_seq_);
}

std::optional<std::string> AppendStatements::initial_record(const std::string& claim_id) {
  claim_id_ = claim_id;
  if (!query_one(select_claim_record_)) return std::nullopt;
  codec_.decode_in_place(text_);
  return text_;
}

bool AppendStatements::ruleset_stored(const std::string& sha256) {
  sha256_ = sha256;
  query_one(select_ruleset_count_);
  return count_ > 0;
}

}  // namespace subsidy::store
