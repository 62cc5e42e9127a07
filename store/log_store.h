#pragma once
// The durable audit log (RECORD_FORMAT.md; the chain is audit/FORMAT.md): a gapless seq from 1,
// each record hash-chained to the one before, with the claims as received, an index of decision
// lines and the ruleset texts beside it, in SQLite or PostgreSQL.
//
// append() is group commit: a batch of records becomes durable in one transaction, and its seqs
// are returned only after the commit; on any error nothing of the batch is written. Writers are
// serialized by the database (see write_transaction.h), so several processes may share a log.
// A LogStore is one connection: use it from one thread at a time.

#include "audit/digest.h"
#include "audit/signing.h"
#include "store/connection.h"
#include "store/record.h"
#include "store/record_codec.h"
#include "store/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::store {

class AppendStatements;  // append_statements.h

struct LogHead {
  std::uint64_t seq = 0;  // 0 for an empty log
  std::string hash;       // hex hash of record seq; the 64 zeros of genesis for an empty log
  bool operator==(const LogHead&) const = default;
};

struct LogStoreOptions {
  // The algorithms of a log created by this open; an existing log keeps the ones it names.
  audit::HashAlg hash_alg_for_new_log = audit::HashAlg::sha256;
  audit::SigAlg sig_alg_for_new_log = audit::SigAlg::ed25519;
};

// The pair a log is created with and keeps: the chain's and Merkle tree's hash, the heads'
// signature. "sha256+ed25519" or, for 国密 assessments (GB/T 39786), "sm3+sm2".
struct LogAlgorithms {
  audit::HashAlg hash = audit::HashAlg::sha256;
  audit::SigAlg sig = audit::SigAlg::ed25519;
  bool operator==(const LogAlgorithms&) const = default;
};
// "sm3+sm2", and back (nullopt for any other text).
std::string algorithms_name(const LogAlgorithms& algorithms);
std::optional<LogAlgorithms> parse_algorithms(std::string_view name);

class LogStore {
 public:
  // Connects (connection.h), applies the schema migrations in one transaction, and creates the
  // log's metadata on first use. Errors: those of parse_connection_url(), open_session() and
  // apply_migrations(); corruption if the stored hash_alg is unknown; invalid_argument if this
  // OpenSSL lacks the log's hash algorithm.
  static Result<std::unique_ptr<LogStore>> open(std::string_view url, const LogStoreOptions& options = {});
  ~LogStore();
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;

  // Appends records in order, as seqs head+1, head+2, ... in one transaction, with their claims,
  // decision-line index rows and chain hashes; returns the seqs after the commit.
  // REQUIRES: batch.size() <= record_format::batch_records_max (larger: invalid_argument).
  // Errors, each leaving the log as it was: invalid_argument (a malformed record, named by the
  // seq it would have had); conflict (an initial decision for a claim_id already stored, in the
  // log or earlier in the batch); not_found (a review or settlement of an unknown claim, or a
  // ruleset sha256 not stored with put_ruleset()); verification_failed (the stored head does not
  // match its own hash: nothing is appended to a broken chain); database_error.
  Result<std::vector<std::uint64_t>> append(std::span<const NewRecord> batch);
  // The same, returning the records exactly as stored (seq, canonical text, prev_hash, hash), so
  // that the writer answers from what it wrote rather than reading the batch back. With
  // expected_first_seq, the batch was decided against the log up to expected_first_seq - 1: if
  // another writer has appended since, nothing is written (conflict, "the log moved").
  Result<std::vector<StoredRecord>> append_records(std::span<const NewRecord> batch,
                                                   std::optional<std::uint64_t> expected_first_seq = std::nullopt);

  // For a log that several servers append to: in one write transaction, holding the write lock
  // throughout, every record appended after known_seq (by another writer) is read, checked
  // against the chain and handed to follow, in seq order; then decide returns the records to
  // append after them (their first seq is the log's head + 1), which are appended and committed.
  // So a batch is decided against the whole log and nobody appends in between. Nothing is written
  // if follow or decide returns an error. Errors: those of read() and append_records(); follow's
  // and decide's. REQUIRES: decide returns at most batch_records_max records.
  using FollowRecord = std::function<Status(const StoredRecord&)>;
  using DecideRecords = std::function<Result<std::span<const NewRecord>>()>;
  Result<std::vector<StoredRecord>> append_following(std::uint64_t known_seq, const FollowRecord& follow,
                                                     const DecideRecords& decide);

  // Up to limit records from from_seq on, in seq order, each checked against the chain (the
  // first against record from_seq - 1). An empty vector past the head.
  // REQUIRES: from_seq >= 1; limit <= record_format::read_records_max (larger: invalid_argument).
  // Errors: verification_failed or corruption naming the seq; database_error.
  Result<std::vector<StoredRecord>> read(std::uint64_t from_seq, std::size_t limit);

  // The last record's seq and hash (not re-verified; see verify_chain()). Errors: database_error.
  Result<LogHead> head();

  // Recomputes every hash from seq 1 and checks every record (chain_check.h), page by page.
  // Returns the verified head. Errors: verification_failed or corruption naming the first bad
  // seq; database_error.
  Result<LogHead> verify_chain();

  // Stores a ruleset's text under its SHA-256 (hex, returned), unless already stored. Decisions
  // may only name rulesets stored this way. Errors: conflict if the sha256 is stored with another
  // id or version; database_error.
  Result<std::string> put_ruleset(const std::string& id, const std::string& version, const std::string& text);
  // The text stored under sha256. Errors: not_found; database_error.
  Result<std::string> ruleset_text(const std::string& sha256);

  // The stored schema version. Errors: database_error.
  Result<int> schema_version();

  Backend backend() const { return backend_; }
  audit::HashAlg hash_alg() const { return algorithms_.hash; }
  audit::SigAlg sig_alg() const { return algorithms_.sig; }
  const LogAlgorithms& algorithms() const { return algorithms_; }

 private:
  LogStore(std::unique_ptr<soci::session> sql, Backend backend, LogAlgorithms algorithms, RecordCodec codec);

  std::unique_ptr<soci::session> sql_;
  Backend backend_;
  LogAlgorithms algorithms_;
  RecordCodec codec_;  // the stored form of record text (record_codec.h)
  std::unique_ptr<AppendStatements> append_statements_;  // prepared on the first append
};

}  // namespace subsidy::store
