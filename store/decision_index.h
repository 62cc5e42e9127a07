#pragma once
// The rows a decision record adds beside the log (RECORD_FORMAT.md, "Tables"): the claim as
// received (initial decisions only) and one index row per decision line, from which the history
// the evaluator reads is answered by index look-ups. Derived from the record alone (and, for a
// review or settlement, the body of the claim it concerns), so that they can be rebuilt from the
// log at any time. Pure: no database.

#include "store/status.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::store {

struct ClaimRow {
  std::string claim_id;
  std::uint64_t seq = 0;    // the initial decision; its record's request is the claim's body
  std::string body_sha256;  // hex SHA-256 of the request's RFC 8785 text, for idempotent resubmission
};

struct LineRow {
  std::uint64_t seq = 0;
  int line_index = 0;  // position in decision.lines
  std::string claim_id;
  std::string subject;
  std::string id_number;    // the person the line is about
  std::string program;
  std::string entity_code;  // the claiming entity's credit code
  std::string status;       // "approved", "rejected", "needs_review"
  std::int64_t amount_fen = 0;  // approved_fen
  std::string governing_month;  // "YYYY-MM" for work_for_training, else ""
  std::string period_start;     // training or class dates, else ""
  std::string period_end;
};

struct DecisionRows {
  std::optional<ClaimRow> claim;  // set for an initial decision
  std::vector<LineRow> lines;
};

// "initial" iff body.decision.kind is "initial" (a decision without kind counts as initial).
// REQUIRES: body passed seal_record() as a decision.
bool is_initial_decision(const boost::json::object& body);

// The rows for decision record seq. claim_body is body.request for an initial decision, else the
// stored body of the claim it concerns.
// Errors (invalid_argument, naming seq): a line or claim member the rows need is missing or has
// the wrong type; an unknown program.
Result<DecisionRows> decision_rows(std::uint64_t seq, const boost::json::object& body,
                                   const boost::json::object& claim_body);

}  // namespace subsidy::store
