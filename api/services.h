#pragma once
// What the handlers work with: the decision pipeline (writes and dry runs), the token check, the
// read connections, the loaded rulesets (for GET /v1/rulesets), metrics and the OpenAPI text.
// The server owns none of these; whoever starts it keeps them alive until it has stopped.

#include "api/authenticator.h"
#include "app/decision_pipeline.h"
#include "api/metrics.h"
#include "api/read_connections.h"
#include "engine/ruleset_set.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>

namespace subsidy::api {

// The pipeline's vocabulary, as the handlers speak it (app/decision_pipeline.h).
using app::DecisionPipeline;
using app::PipelineOutcome;
using app::PipelineReply;

struct Services {
  DecisionPipeline* pipeline = nullptr;
  Authenticator* authenticator = nullptr;
  ReadConnections* readers = nullptr;
  const RulesetSet* rulesets = nullptr;
  Metrics* metrics = nullptr;
  std::string openapi_json;                    // served as is
  std::atomic<std::size_t> open_connections{};  // a /metrics gauge, kept by the server
};

}  // namespace subsidy::api
