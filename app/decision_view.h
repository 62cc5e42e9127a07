#pragma once
// A decision as the API returns it (api.md "Decision"): the logged decision with its seq, plus
// the record's decided_at, prev_hash and hash, so a client can check it against the log.

#include "store/record.h"
#include "store/status.h"

#include <boost/json/object.hpp>

namespace subsidy::app {

// Errors: invalid_argument if record is not a decision record; corruption if its text is not a
// record with a "decision" object.
store::Result<boost::json::object> decision_view(const store::StoredRecord& record);

}  // namespace subsidy::app
