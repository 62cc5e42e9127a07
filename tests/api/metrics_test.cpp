// GET /metrics' text for the pipeline's group commits: a Prometheus histogram of records per commit.

#include "api/metrics.h"

#include <doctest/doctest.h>

#include <string>

TEST_CASE("commit batch sizes are a cumulative histogram with sum and count") {
  subsidy::api::Metrics metrics;
  metrics.commit_batch(1);
  metrics.commit_batch(5);
  metrics.commit_batch(600);  // beyond the last bucket: only in +Inf
  std::string text = metrics.render({});
  auto has = [&](const std::string& line) { return text.find(line + "\n") != std::string::npos; };
  CHECK(has("# TYPE subsidy_commit_batch_records histogram"));
  CHECK(has(R"(subsidy_commit_batch_records_bucket{le="1"} 1)"));
  CHECK(has(R"(subsidy_commit_batch_records_bucket{le="4"} 1)"));
  CHECK(has(R"(subsidy_commit_batch_records_bucket{le="8"} 2)"));
  CHECK(has(R"(subsidy_commit_batch_records_bucket{le="512"} 2)"));
  CHECK(has(R"(subsidy_commit_batch_records_bucket{le="+Inf"} 3)"));
  CHECK(has("subsidy_commit_batch_records_sum 606"));
  CHECK(has("subsidy_commit_batch_records_count 3"));
}
