#pragma once
// A decision as the API returns it (api.md "Decision"): the logged decision with its seq, plus
// the record's decided_at, prev_hash and hash, so a client can check it against the log.

#include "app/decision_pipeline.h"
#include "store/record.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace subsidy::api {

// Errors: invalid_argument if record is not a decision record; corruption if its text is not a
// record with a "decision" object.
store::Result<boost::json::object> decision_view(const store::StoredRecord& record);

// decision_view() as JSON text (members in RFC 8785 order), written from the record's text
// without parsing it: the "decision" member with decided_at, prev_hash and hash merged in at
// their places. nullopt when the record is not a decision or its text is not shown to be
// canonical (audit/canonical_json.h), for decision_view() to decide.
struct DecisionViewText {
  std::string text;
  std::string outcome;  // the decision's outcome, for /metrics
};
std::optional<DecisionViewText> decision_view_text(const store::StoredRecord& record);

// The body of a pipeline's answer, rendered on the calling (HTTP) thread: its stored record as
// decision_view() shows a decision and record_with_hash() any other record; a dry run's text as an
// object (the HTTP layer sends that text as it is); else reply.body.
// Errors: those of decision_view() and record_with_hash().
store::Result<boost::json::object> reply_body(const app::PipelineReply& reply);

}  // namespace subsidy::api
