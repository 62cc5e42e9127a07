#pragma once
// What the pipeline tests share: settings for a log, a started pipeline, a scratch directory,
// an answer rendered as the HTTP layer renders it, the log's head.

#include "api/decision_view.h"
#include "app/decision_pipeline.h"
#include "store/log_store.h"
#include "store_fixture.h"
#include "support/json_schema.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>

namespace subsidy::pipeline_test {

namespace fs = std::filesystem;
using app::DecisionPipeline;
using app::PipelineReply;
using app::PipelineSettings;

inline PipelineSettings settings_for(const std::string& url, const fs::path& dir) {
  PipelineSettings s;
  s.database_url = url;
  s.rules = {(subsidy::testing::source_dir / "rules").string()};
  s.key_file = (dir / "signing.key").string();
  s.algorithms = subsidy::store::test::test_algorithms();
  s.sign_every = 50;
  return s;
}

inline std::unique_ptr<DecisionPipeline> start(const PipelineSettings& s) {
  std::string error;
  auto p = DecisionPipeline::start(s, error);
  INFO(error);
  REQUIRE(p != nullptr);
  return p;
}

inline fs::path scratch_dir() {
  static std::atomic<int> n{0};
  fs::path dir = fs::temp_directory_path() / ("subsidy-pipeline-" + std::to_string(::getpid()) + "-" + std::to_string(n++));
  fs::create_directories(dir);
  return dir;
}

// The answer with its body rendered from the stored record, as the HTTP layer renders it
// (api/decision_view.h). Runs on the pipeline's thread: a failure is put in detail, not asserted.
inline PipelineReply rendered(PipelineReply r) {
  auto body = subsidy::api::reply_body(r);
  if (body.ok()) r.body = std::move(body).value();
  else r.detail = "rendering failed: " + body.error().message;
  return r;
}

inline std::uint64_t log_head(const std::string& url) {
  auto log = subsidy::store::LogStore::open(url);
  REQUIRE(log.ok());
  auto head = log.value()->head();
  REQUIRE(head.ok());
  return head.value().seq;
}

}  // namespace subsidy::pipeline_test
