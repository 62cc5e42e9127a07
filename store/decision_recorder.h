#pragma once
// The durable decision step: decides a claim or a settlement on a Ledger and appends the decision
// record (RECORD_FORMAT.md, "A decision record") to the log, with the request as received, the
// decision and every ruleset it used (each stored with put_ruleset() first). The ledger's seq and
// the log's seq must stay equal: the recorder checks both before deciding and after appending.
//
// A decision is appended only after the ledger has recorded it; if the append then fails, the
// ledger is ahead of the log and every later call fails with conflict until both are rebuilt
// (replaying the log). Errors as values; a LogStore is one connection: one thread at a time.

#include "engine/follow_up.h"
#include "engine/ledger.h"
#include "engine/ruleset_set.h"
#include "store/clock.h"
#include "store/decision_record.h"
#include "store/log_store.h"
#include "store/status.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace subsidy::store {

class DecisionRecorder {
 public:
  // REQUIRES: all four outlive the recorder; ledger decides with rulesets.
  DecisionRecorder(LogStore& store, Ledger& ledger, const RulesetSet& rulesets, Clock& clock);

  // Parses body as a claim (parse_claim), decides it and appends the decision record; returns
  // the record's seq. Errors: invalid_argument (the body is not a valid claim, or the claim is
  // refused by the engine; the message lists the problems); conflict (a claim_id decided before;
  // ledger and log out of step); those of LogStore::put_ruleset() and append().
  Result<std::uint64_t> record_claim(const boost::json::value& body);
  // The same for a settlement or review of an earlier claim (engine/follow_up.h); body is its
  // request. Errors as record_claim(), and not_found for an unknown claim_id.
  Result<std::uint64_t> record_follow_up(FollowUpKind kind, std::string_view claim_id, const boost::json::value& body);

 private:
  Status check_in_step();
  Result<std::uint64_t> append(const boost::json::value& body, std::string_view claim_id, const LedgerEntry& entry);

  LogStore& store_;
  Ledger& ledger_;
  RulesetArchive archive_;
  Clock& clock_;
};

}  // namespace subsidy::store
