#pragma once
// Private to the ruleset loader: reads one ruleset document — a base file, or an amending file
// already merged onto its base (ruleset_loader_merge.h) — into a Ruleset (docs/rulesets.md).

#include <boost/json/value.hpp>

#include "engine/ruleset.h"
#include "engine/ruleset_loader_common.h"

namespace subsidy::ruleset_loader {

// Reads every member of `document` into `rs`, reporting each problem to `sink`. The result is
// usable only when the sink counted no error. Leaves file_name, text, sha256 and base to the
// caller. REQUIRES: `rs` is freshly constructed and will not move (values point into it).
void read_document(const boost::json::value& document, Ruleset& rs, ErrorSink& sink);

}  // namespace subsidy::ruleset_loader
