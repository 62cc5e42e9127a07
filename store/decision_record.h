#pragma once
// The pieces of a decision record (RECORD_FORMAT.md, "A decision record") that every writer
// builds the same way: the record itself, and the ruleset texts it names, stored before it.

#include "engine/ruleset_set.h"
#include "store/log_store.h"
#include "store/record.h"
#include "store/status.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <unordered_set>

namespace subsidy::store {

// The record of decision (numbered_decision_json() output) made for request (the body as
// received) of claim_id. token_id names the API token that asked for it; "" (tools, tests)
// leaves the member out.
NewRecord make_decision_record(const boost::json::value& request, std::string_view claim_id,
                               boost::json::object decision, std::string decided_at, std::string_view token_id);

// Stores the text of every ruleset a decision names (its "rulesets" member) with
// LogStore::put_ruleset(), once per sha256 for the archive's lifetime.
class RulesetArchive {
 public:
  // REQUIRES: rulesets outlives the archive.
  explicit RulesetArchive(const RulesetSet& rulesets) : rulesets_(rulesets) {}
  // Errors: invalid_argument (used is not an array of {id, sha256}); not_found (a ruleset that
  // is not loaded); conflict (stored under another sha256); those of put_ruleset().
  Status ensure_stored(LogStore& store, const boost::json::value& used);
  // Every loaded ruleset, before a batch whose decisions are not made yet (a shared log).
  Status ensure_all_stored(LogStore& store);

 private:
  const RulesetSet& rulesets_;
  std::unordered_set<std::string> stored_sha256_;
};

}  // namespace subsidy::store
