#pragma once
// Counters for GET /metrics in the Prometheus text format (version 0.0.4): requests by route and
// status, a latency histogram per route, and gauges sampled at render time. Thread-safe; one
// mutex, held for a map look-up per request.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace subsidy::api {

// Upper bounds of the latency buckets, in microseconds (rendered in seconds); +Inf is implicit.
inline constexpr std::array<std::uint64_t, 12> latency_bucket_us = {250,     500,     1'000,   2'500,
                                                                    5'000,   10'000,  25'000,  50'000,
                                                                    100'000, 250'000, 1'000'000, 5'000'000};

// Upper bounds of the commit-batch buckets, in records per transaction; +Inf is implicit.
inline constexpr std::array<std::uint64_t, 10> commit_batch_bucket_records = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

class Metrics {
 public:
  // route: the pattern of the route table ("/v1/claims/{claim_id}/settlement"), or "unmatched".
  void observe(std::string_view method, std::string_view route, unsigned status, std::chrono::microseconds latency);
  void connection_refused();
  // A new durable decision answered 201, by its outcome ("approved", "needs_review", ...).
  void decision(std::string_view outcome);
  // One group commit of the decision pipeline, of this many records.
  void commit_batch(std::size_t records);

  // gauges: name -> value, read at render time (queue depth, open connections).
  std::string render(const std::vector<std::pair<std::string, double>>& gauges) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, latency_bucket_us.size()> buckets{};  // non-cumulative
    std::uint64_t count = 0;
    std::uint64_t sum_us = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;  // method, route, status
  std::map<std::pair<std::string, std::string>, Histogram> latency_;                   // method, route
  std::uint64_t connections_refused_ = 0;
  std::map<std::string, std::uint64_t> decisions_;  // by outcome
  std::array<std::uint64_t, commit_batch_bucket_records.size()> commit_buckets_{};  // non-cumulative
  std::uint64_t commits_ = 0;
  std::uint64_t committed_records_ = 0;
};

}  // namespace subsidy::api
