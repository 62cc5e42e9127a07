#pragma once
// The statements LogStore::append runs for each record, prepared once per connection and then
// run with new values, so that a group commit parses no SQL (the HTTP benchmark's profile: parsing
// them for every row was a quarter of the sequencer's time). Internal to store/; every value is
// bound; each method throws soci::soci_error like log_tables.h and projection_tables.h.

#include "store/decision_index.h"
#include "store/record.h"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>

namespace subsidy::store {

class AppendStatements {
 public:
  // REQUIRES: sql outlives this, and its schema is current.
  explicit AppendStatements(soci::session& sql);
  AppendStatements(const AppendStatements&) = delete;
  AppendStatements& operator=(const AppendStatements&) = delete;

  // log_tables.h's and projection_tables.h's statements of the same names.
  void insert_record(const StoredRecord& record);
  void insert_claim(const ClaimRow& claim);
  void insert_line(const LineRow& line);
  // The approved line under the person it is about (person_approvals).
  void insert_person_approval(const LineRow& line);
  void insert_person_if_absent(const std::string& id_number, const std::string& name, std::uint64_t seq);
  void insert_claim_decision(const std::string& claim_id, std::uint64_t seq, const std::string& kind);
  std::optional<std::string> claim_body(const std::string& claim_id);
  bool ruleset_stored(const std::string& sha256);
  std::optional<std::int64_t> approved_total(const std::string& program, int year);
  void upsert_approved_total(const std::string& program, int year, std::int64_t total_fen);

 private:
  // The values the statements are bound to; each method fills them, then executes.
  StoredRecord record_;
  std::int64_t seq_ = 0;
  ClaimRow claim_;
  LineRow line_;
  std::string id_number_, name_, claim_id_, kind_, body_, sha256_, program_;
  int year_ = 0;
  std::int64_t count_ = 0, total_fen_ = 0;

  soci::statement insert_record_, insert_claim_, insert_line_, insert_person_approval_, insert_person_,
      insert_claim_decision_, select_claim_body_, select_ruleset_count_, select_total_, upsert_total_;
};

}  // namespace subsidy::store
