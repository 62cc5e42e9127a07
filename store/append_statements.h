#pragma once
// The statements LogStore::append runs for each record, prepared once per connection and then
// run with new values, so that a group commit parses no SQL (the HTTP benchmark's profile: parsing
// them for every row was a quarter of the sequencer's time). Internal to store/; every value is
// bound; each method throws soci::soci_error like log_tables.h and projection_tables.h.
//
// On PostgreSQL every statement is a round trip to the server, and each decision's five or six
// rows were five or six of them (two servers on one log: half the machine idle, waiting on them).
// There the rows are kept and written by flush(), one INSERT ... SELECT FROM unnest(arrays) per
// table, so that a batch costs a few round trips however many records it holds. SQLite runs in
// the process: its rows are written as they come, and flush() has nothing to do.

#include "store/connection.h"
#include "store/decision_index.h"
#include "store/record.h"
#include "store/record_codec.h"

#include <soci/soci.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>

namespace subsidy::store {

class AppendStatements {
 public:
  // Records are stored in codec's form (record_codec.h).
  // REQUIRES: sql and codec outlive this, and sql's schema is current.
  AppendStatements(soci::session& sql, Backend backend, RecordCodec& codec);
  AppendStatements(const AppendStatements&) = delete;
  AppendStatements& operator=(const AppendStatements&) = delete;

  // log_tables.h's and projection_tables.h's statements of the same names.
  void insert_record(const StoredRecord& record);
  void insert_claim(const ClaimRow& claim);
  void insert_line(const LineRow& line);
  // The approved line under the person it is about (person_approvals).
  void insert_person_approval(const LineRow& line);
  void insert_claim_decision(const std::string& claim_id, std::uint64_t seq, const std::string& kind);
  // Whether the claim has an initial decision, stored or inserted since the last flush. On
  // PostgreSQL only the latter: flush() looks the batch's claims up in one query.
  bool claim_stored(const std::string& claim_id);
  // The canonical text of the claim's initial decision record (its request is the claim's body);
  // its stored bytes if they do not decode.
  std::optional<std::string> initial_record(const std::string& claim_id);
  bool ruleset_stored(const std::string& sha256);

  // Starts a transaction's rows afresh (what a rolled-back one kept is dropped).
  void begin();
  // Writes the rows kept since begin() (PostgreSQL), before a row that refers to them and before
  // the commit. Returns the row of a kept initial decision whose claim was already stored, in
  // which case nothing was written and the transaction must not commit; nullopt when all is written.
  std::optional<ClaimRow> flush();

  ~AppendStatements();

 private:
  struct Pending;  // PostgreSQL: the rows kept until flush(), as array literals per column
  std::unique_ptr<Pending> pending_;  // nullptr on SQLite

  RecordCodec& codec_;
  // The values the statements are bound to; each method fills them, then executes.
  StoredRecord record_;  // all but canonical, whose stored form is stored_
  std::string stored_;
  std::int64_t seq_ = 0;
  ClaimRow claim_;
  LineRow line_;
  std::string claim_id_, kind_, text_, sha256_;
  std::int64_t count_ = 0, found_seq_ = 0;
  std::unordered_set<std::string> stored_rulesets_;  // rulesets are never removed

  soci::statement insert_record_, insert_claim_, insert_line_, insert_person_approval_, insert_claim_decision_,
      select_claim_seq_, select_claim_record_, select_ruleset_count_;
};

}  // namespace subsidy::store
