#include "store/append_statements.h"

#include <array>
#include <string_view>
#include <unordered_map>

namespace subsidy::store {

using soci::into;
using soci::use;

namespace {

// A PostgreSQL array literal ('{"a","b\\"c"}', '{1,2}'), built element by element.
class ArrayLiteral {
 public:
  void add(std::string_view text) {
    separate();
    text_ += '"';
    for (char c : text) {
      if (c == '"' || c == '\\') text_ += '\\';
      text_ += c;
    }
    text_ += '"';
  }
  void add(std::int64_t n) {
    separate();
    text_ += std::to_string(n);
  }
  void add(std::uint64_t n) { add(static_cast<std::int64_t>(n)); }
  void add(int n) { add(static_cast<std::int64_t>(n)); }
  // The literal into value, and this empty again.
  void take(std::string& value) {
    value = text_.empty() ? std::string("{}") : text_ + "}";
    text_.clear();
  }
  void clear() { text_.clear(); }

 private:
  void separate() { text_ += text_.empty() ? '{' : ','; }
  std::string text_;
};

// The rows of one table, kept column by column, and the statement that inserts them all at once:
// INSERT INTO table (columns) SELECT * FROM unnest(CAST(:c0 AS type0[]), ...).
template <std::size_t N>
class KeptRows {
 public:
  KeptRows(soci::session& sql, std::string_view table, const std::array<std::string_view, N>& columns,
           const std::array<std::string_view, N>& types)
      : insert_(sql) {
    std::string names, arrays;
    for (std::size_t i = 0; i < N; ++i) {
      names += (i == 0 ? "" : ", ") + std::string(columns[i]);
      arrays += (i == 0 ? "CAST(:c" : ", CAST(:c") + std::to_string(i) + " AS " + std::string(types[i]) + "[])";
      insert_.exchange(use(bound_[i]));
    }
    insert_.alloc();
    insert_.prepare("INSERT INTO " + std::string(table) + " (" + names + ") SELECT * FROM unnest(" + arrays + ")");
    insert_.define_and_bind();
  }
  template <class... Values>
  void add(const Values&... values) {
    static_assert(sizeof...(values) == N);
    std::size_t i = 0;
    (columns_[i++].add(values), ...);
    ++rows_;
  }
  void write() {
    if (rows_ == 0) return;
    for (std::size_t i = 0; i < N; ++i) columns_[i].take(bound_[i]);
    rows_ = 0;
    insert_.execute(true);
  }
  void clear() {
    for (ArrayLiteral& c : columns_) c.clear();
    rows_ = 0;
  }

 private:
  std::array<ArrayLiteral, N> columns_;
  std::array<std::string, N> bound_;
  std::size_t rows_ = 0;
  soci::statement insert_;
};

// SQLite keeps a compressed record as a BLOB, so that its tools show it as bytes, not as text.
std::string insert_record_sql(Backend backend) {
  return std::string("INSERT INTO log (seq, type, record, prev_hash, hash, decided_at) VALUES (:seq, :type, ") +
         (backend == Backend::sqlite ? "CAST(:record AS BLOB)" : ":record") + ", :prev_hash, :hash, :decided_at)";
}

}  // namespace

struct AppendStatements::Pending {
  explicit Pending(soci::session& sql)
      : log(sql, "log", {"seq", "type", "record", "prev_hash", "hash", "decided_at"},
            {"bigint", "text", "text", "text", "text", "text"}),
        claims(sql, "claims", {"claim_id", "seq", "body_sha256"}, {"text", "bigint", "text"}),
        lines(sql, "decision_lines",
              {"seq", "line_index", "claim_id", "subject", "id_number", "program", "entity_code", "status", "amount_fen",
               "governing_month", "period_start", "period_end"},
              {"bigint", "integer", "text", "text", "text", "text", "text", "text", "bigint", "text", "text", "text"}),
        approvals(sql, "person_approvals",
                  {"id_number", "seq", "line_index", "claim_id", "program", "entity_code", "governing_month",
                   "period_start", "period_end"},
                  {"text", "bigint", "integer", "text", "text", "text", "text", "text", "text"}),
        claim_decisions(sql, "claim_decisions", {"claim_id", "seq", "kind"}, {"text", "bigint", "text"}),
        session(sql) {}

  // The first kept claim that is already stored. Planned on every call, not prepared: a plan
  // cached while the table was small scans all of it (the benchmark saw it grow into a fifth of
  // PostgreSQL's time), where a fresh one reads the primary key.
  bool find_stored_claim() {
    claim_ids.take(ids);
    soci::indicator ind = soci::i_null;
    session << "SELECT claim_id FROM claims WHERE claim_id = ANY(CAST(:ids AS text[])) LIMIT 1", into(found, ind), use(ids);
    return session.got_data() && ind == soci::i_ok;
  }

  void clear() {
    log.clear();
    claims.clear();
    lines.clear();
    approvals.clear();
    claim_decisions.clear();
    claim_ids.clear();
    new_claims.clear();
    texts.clear();
  }

  KeptRows<6> log;
  KeptRows<3> claims;
  KeptRows<12> lines;
  KeptRows<9> approvals;
  KeptRows<3> claim_decisions;
  ArrayLiteral claim_ids;  // of the kept claims, for select_stored_claim
  std::unordered_map<std::string, ClaimRow> new_claims;        // kept, by claim_id
  std::unordered_map<std::uint64_t, std::string> texts;        // kept records' canonical text, by seq
  std::string ids, found;
  soci::session& session;
};

AppendStatements::~AppendStatements() = default;

AppendStatements::AppendStatements(soci::session& sql, Backend backend, RecordCodec& codec)
    : pending_(backend == Backend::postgresql ? std::make_unique<Pending>(sql) : nullptr),
      codec_(codec),
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
  if (pending_) {
    pending_->log.add(record.seq, record.type, codec_.encode(record.canonical), record.prev_hash, record.hash,
                      record.decided_at);
    pending_->texts[record.seq] = record.canonical;
    return;
  }
  record_.type = record.type;
  record_.prev_hash = record.prev_hash;
  record_.hash = record.hash;
  record_.decided_at = record.decided_at;
  stored_ = codec_.encode(record.canonical);
  seq_ = static_cast<std::int64_t>(record.seq);
  insert_record_.execute(true);
}

void AppendStatements::insert_claim(const ClaimRow& claim) {
  if (pending_) {
    pending_->claims.add(claim.claim_id, claim.seq, claim.body_sha256);
    pending_->claim_ids.add(claim.claim_id);
    pending_->new_claims[claim.claim_id] = claim;
    return;
  }
  claim_ = claim;
  seq_ = static_cast<std::int64_t>(claim.seq);
  insert_claim_.execute(true);
}

void AppendStatements::insert_line(const LineRow& line) {
  if (pending_) {
    pending_->lines.add(line.seq, line.line_index, line.claim_id, line.subject, line.id_number, line.program,
                        line.entity_code, line.status, line.amount_fen, line.governing_month, line.period_start,
                        line.period_end);
    return;
  }
  line_ = line;
  seq_ = static_cast<std::int64_t>(line.seq);
  insert_line_.execute(true);
}

void AppendStatements::insert_person_approval(const LineRow& line) {
  if (pending_) {
    pending_->approvals.add(line.id_number, line.seq, line.line_index, line.claim_id, line.program, line.entity_code,
                            line.governing_month, line.period_start, line.period_end);
    return;
  }
  line_ = line;
  seq_ = static_cast<std::int64_t>(line.seq);
  insert_person_approval_.execute(true);
}

void AppendStatements::insert_claim_decision(const std::string& claim_id, std::uint64_t seq, const std::string& kind) {
  if (pending_) {
    pending_->claim_decisions.add(claim_id, seq, kind);
    return;
  }
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
  if (pending_) return pending_->new_claims.contains(claim_id);
  claim_id_ = claim_id;
  return query_one(select_claim_seq_);
}

std::optional<std::string> AppendStatements::initial_record(const std::string& claim_id) {
  if (pending_) {
    if (auto kept = pending_->new_claims.find(claim_id); kept != pending_->new_claims.end()) {
      return pending_->texts.at(kept->second.seq);
    }
  }
  claim_id_ = claim_id;
  if (!query_one(select_claim_record_)) return std::nullopt;
  codec_.decode_in_place(text_);
  return text_;
}

bool AppendStatements::ruleset_stored(const std::string& sha256) {
  if (stored_rulesets_.contains(sha256)) return true;
  sha256_ = sha256;
  query_one(select_ruleset_count_);
  if (count_ > 0) stored_rulesets_.insert(sha256);
  return count_ > 0;
}

void AppendStatements::begin() {
  if (pending_) pending_->clear();
}

std::optional<ClaimRow> AppendStatements::flush() {
  if (!pending_) return std::nullopt;
  Pending& p = *pending_;
  if (!p.new_claims.empty()) {
    if (p.find_stored_claim()) {
      ClaimRow twice = p.new_claims.at(p.found);
      p.clear();
      return twice;
    }
  }
  // In this order: every other table refers to log (seq).
  p.log.write();
  p.claims.write();
  p.lines.write();
  p.approvals.write();
  p.claim_decisions.write();
  p.new_claims.clear();
  p.texts.clear();
  return std::nullopt;
}

}  // namespace subsidy::store
