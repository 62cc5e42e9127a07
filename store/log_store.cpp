#include "store/log_store.h"

#include "audit/hash_chain.h"
#include "store/append_statements.h"
#include "store/chain_check.h"
#include "store/log_tables.h"
#include "store/migrations.h"
#include "store/record_format.h"
#include "store/soci_edge.h"
#include "store/write_transaction.h"

#include <algorithm>

namespace subsidy::store {
namespace {

constexpr std::string_view meta_hash_alg = "hash_alg";
constexpr std::string_view meta_sig_alg = "sig_alg";

// The log's hash algorithm: the stored one, or, for a new log, the option, stored now.
// REQUIRES: inside the start-up WriteTransaction, after the migrations.
Result<audit::HashAlg> settle_hash_alg(soci::session& sql, audit::HashAlg for_new_log) {
  std::optional<std::string> stored = select_meta(sql, std::string(meta_hash_alg));
  if (!stored) {
    insert_meta(sql, std::string(meta_hash_alg), std::string(audit::hash_alg_name(for_new_log)));
    return for_new_log;
  }
  std::optional<audit::HashAlg> alg = audit::parse_hash_alg(*stored);
  if (!alg) return store_error(StoreCode::corruption, "the log names an unknown hash_alg \"" + *stored + "\"");
  return *alg;
}

// The log's signature algorithm, settled the same way. A log created before the algorithm was
// stored takes the one its latest signed head names (every such log was Ed25519), or the option
// if it has no head yet.
Result<audit::SigAlg> settle_sig_alg(soci::session& sql, audit::SigAlg for_new_log) {
  std::optional<std::string> stored = select_meta(sql, std::string(meta_sig_alg));
  if (!stored) {
    std::optional<std::string> latest = select_latest_head_sig_alg(sql);
    std::optional<audit::SigAlg> alg = latest ? audit::parse_sig_alg(*latest) : for_new_log;
    if (!alg) return store_error(StoreCode::corruption, "a signed head names an unknown sig_alg \"" + *latest + "\"");
    insert_meta(sql, std::string(meta_sig_alg), std::string(audit::sig_alg_name(*alg)));
    return *alg;
  }
  std::optional<audit::SigAlg> alg = audit::parse_sig_alg(*stored);
  if (!alg) return store_error(StoreCode::corruption, "the log names an unknown sig_alg \"" + *stored + "\"");
  return *alg;
}

Result<LogAlgorithms> start_up(soci::session& sql, Backend backend, const LogStoreOptions& for_new_log) {
  return guarded("starting the log store", [&]() -> Result<LogAlgorithms> {
    WriteTransaction tx(sql, backend);
    if (Status s = apply_migrations(sql, backend); !s.ok()) return s.error();
    Result<audit::HashAlg> hash = settle_hash_alg(sql, for_new_log.hash_alg_for_new_log);
    if (!hash.ok()) return hash.error();
    Result<audit::SigAlg> sig = settle_sig_alg(sql, for_new_log.sig_alg_for_new_log);
    if (!sig.ok()) return sig.error();
    tx.commit();
    return LogAlgorithms{hash.value(), sig.value()};
  });
}

// The hash of record seq - 1 as a digest (genesis for seq 1). Errors: verification_failed if the
// record is missing, corruption if its hash column is not a digest.
Result<audit::Digest> prev_hash_of(soci::session& sql, std::uint64_t seq) {
  if (seq == 1) return audit::genesis_prev_hash;
  std::optional<std::string> hex = select_hash(sql, seq - 1);
  if (!hex) {
    return store_error(StoreCode::verification_failed, "record " + std::to_string(seq - 1) + ": missing", seq - 1);
  }
  std::optional<audit::Digest> d = audit::digest_from_hex(*hex);
  if (!d) return store_error(StoreCode::corruption, "record " + std::to_string(seq - 1) + ": malformed hash", seq - 1);
  return *d;
}

// Up to limit records from from_seq on, in seq order, fetched in bulk: SOCI fills vectors of a
// page's rows in one call, several times cheaper than a fetch() per row.
std::vector<StoredRecord> select_page(soci::session& sql, RecordCodec& codec, std::uint64_t from_seq,
                                      std::size_t limit) {
  std::vector<StoredRecord> out;
  if (limit == 0) return out;
  // SOCI treats a vector of one element as a single-row fetch and hands it back empty; two or
  // more make a bulk fetch, which SOCI shrinks to the rows LIMIT lets through.
  std::size_t slots = std::max<std::size_t>(limit, 2);
  std::vector<std::int64_t> seqs(slots);
  std::vector<std::string> types(slots), records(slots), prev_hashes(slots), hashes(slots), decided_ats(slots);
  auto from = static_cast<std::int64_t>(from_seq);
  auto count = static_cast<std::int64_t>(limit);
  soci::statement st = (sql.prepare << "SELECT seq, type, record, prev_hash, hash, decided_at FROM log "
                                       "WHERE seq >= :from ORDER BY seq LIMIT :count",
                        soci::into(seqs), soci::into(types), soci::into(records), soci::into(prev_hashes),
                        soci::into(hashes), soci::into(decided_ats), soci::use(from), soci::use(count));
  // execute() is false when fewer rows than limit came back (SQLite); the vectors then hold
  // the rows that did, so the row count is the vectors' size, not execute()'s answer.
  st.execute(true);
  if (seqs.size() > limit) return out;
  out.reserve(seqs.size());
  for (std::size_t i = 0; i < seqs.size(); ++i) {
    codec.decode_in_place(records[i]);
    out.push_back(StoredRecord{static_cast<std::uint64_t>(seqs[i]), std::move(types[i]), std::move(decided_ats[i]),
                               std::move(records[i]), std::move(prev_hashes[i]), std::move(hashes[i])});
  }
  return out;
}

// Checks a page read from from_seq against the chain; returns the hash of its last record.
Result<audit::Digest> check_page(audit::HashAlg alg, const std::vector<StoredRecord>& page, std::uint64_t from_seq,
                                 audit::Digest prev) {
  std::uint64_t expected = from_seq;
  for (const StoredRecord& row : page) {
    if (Status s = check_stored_record(alg, row, expected++, prev, prev); !s.ok()) return s.error();
  }
  return prev;
}

}  // namespace

LogStore::LogStore(std::unique_ptr<soci::session> sql, Backend backend, LogAlgorithms algorithms, RecordCodec codec)
    : sql_(std::move(sql)), backend_(backend), algorithms_(algorithms), codec_(std::move(codec)) {}

LogStore::~LogStore() = default;

std::string algorithms_name(const LogAlgorithms& algorithms) {
  return std::string(audit::hash_alg_name(algorithms.hash)) + "+" + std::string(audit::sig_alg_name(algorithms.sig));
}

std::optional<LogAlgorithms> parse_algorithms(std::string_view name) {
  const std::size_t plus = name.find('+');
  if (plus == std::string_view::npos) return std::nullopt;
  std::optional<audit::HashAlg> hash = audit::parse_hash_alg(name.substr(0, plus));
  std::optional<audit::SigAlg> sig = audit::parse_sig_alg(name.substr(plus + 1));
  if (!hash || !sig) return std::nullopt;
  return LogAlgorithms{*hash, *sig};
}

Result<std::unique_ptr<LogStore>> LogStore::open(std::string_view url, const LogStoreOptions& options) {
  Result<ConnectionSetting> setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  Result<std::unique_ptr<soci::session>> sql = open_session(setting.value());
  if (!sql.ok()) return sql.error();
  Result<LogAlgorithms> alg = start_up(*sql.value(), setting.value().backend, options);
  if (!alg.ok()) return alg.error();
  if (audit::Status available = audit::check_hash_alg_available(alg.value().hash); !available.ok()) {
    return store_error(StoreCode::invalid_argument, "this OpenSSL lacks the log's hash algorithm " +
                                                        std::string(audit::hash_alg_name(alg.value().hash)) +
                                                        ": " + available.error().message);
  }
  Result<RecordCodec> codec = load_record_codec(*sql.value(), setting.value().backend == Backend::sqlite);
  if (!codec.ok()) return codec.error();
  return std::unique_ptr<LogStore>(
      new LogStore(std::move(sql.value()), setting.value().backend, alg.value(), std::move(codec.value())));
}

Result<LogHead> LogStore::head() {
  return guarded("reading the log head", [&]() -> Result<LogHead> {
    std::optional<StoredRecord> last = select_last_record(*sql_, codec_);
    if (!last) return LogHead{0, std::string(audit::log_format::genesis_prev_hash_hex)};
    return LogHead{last->seq, last->hash};
  });
}

Result<std::vector<StoredRecord>> LogStore::read(std::uint64_t from_seq, std::size_t limit) {
  if (from_seq == 0 || limit > record_format::read_records_max) {
    return store_error(StoreCode::invalid_argument, "read needs from_seq >= 1 and limit <= read_records_max");
  }
  return guarded("reading the log", [&]() -> Result<std::vector<StoredRecord>> {
    std::vector<StoredRecord> page = select_page(*sql_, codec_, from_seq, limit);
    if (page.empty()) return page;
    Result<audit::Digest> prev = prev_hash_of(*sql_, from_seq);
    if (!prev.ok()) return prev.error();
    Result<audit::Digest> last = check_page(algorithms_.hash, page, from_seq, prev.value());
    if (!last.ok()) return last.error();
    return page;
  });
}

Result<LogHead> LogStore::verify_chain() {
  return guarded("verifying the log", [&]() -> Result<LogHead> {
    LogHead head{0, std::string(audit::log_format::genesis_prev_hash_hex)};
    audit::Digest prev = audit::genesis_prev_hash;
    for (;;) {
      std::vector<StoredRecord> page = select_page(*sql_, codec_, head.seq + 1, record_format::read_records_max);
      if (page.empty()) return head;
      Result<audit::Digest> last = check_page(algorithms_.hash, page, head.seq + 1, prev);
      if (!last.ok()) return last.error();
      prev = last.value();
      head = LogHead{page.back().seq, page.back().hash};
    }
  });
}

Result<std::string> LogStore::put_ruleset(const std::string& id, const std::string& version, const std::string& text) {
  std::string sha256 = audit::to_hex(audit::hash(audit::HashAlg::sha256, audit::as_bytes(text)));
  return guarded("storing a ruleset", [&]() -> Result<std::string> {
    WriteTransaction tx(*sql_, backend_);
    if (!insert_ruleset(*sql_, sha256, id, version, text)) {
      return store_error(StoreCode::conflict, "ruleset " + sha256 + " is stored under another id or version");
    }
    tx.commit();
    return sha256;
  });
}

Result<std::string> LogStore::ruleset_text(const std::string& sha256) {
  return guarded("reading a ruleset", [&]() -> Result<std::string> {
    std::optional<std::string> text = select_ruleset_text(*sql_, sha256);
    if (!text) return store_error(StoreCode::not_found, "no ruleset " + sha256);
    return std::move(*text);
  });
}

Result<int> LogStore::schema_version() { return stored_schema_version(*sql_); }

}  // namespace subsidy::store
