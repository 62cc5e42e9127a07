#include "api/metrics.h"

#include <cstdio>
#include <sstream>
#include <tuple>
#include <vector>

namespace subsidy::api {

namespace {

std::string seconds(std::uint64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", static_cast<double>(us) / 1e6);
  return text;
}

}  // namespace

void Metrics::observe(std::string_view method, std::string_view route, unsigned status,
                      std::chrono::microseconds latency) {
  auto us = static_cast<std::uint64_t>(latency.count() < 0 ? 0 : latency.count());
  std::lock_guard lock(mutex_);
  ++requests_[{std::string(method), std::string(route), status}];
  Histogram& h = latency_[{std::string(method), std::string(route)}];
  std::size_t i = 0;
  while (i < latency_bucket_us.size() && us > latency_bucket_us[i]) ++i;
  if (i < latency_bucket_us.size()) ++h.buckets[i];
  ++h.count;
  h.sum_us += us;
}

void Metrics::connection_refused() {
  std::lock_guard lock(mutex_);
  ++connections_refused_;
}

void Metrics::decision(std::string_view outcome) {
  std::lock_guard lock(mutex_);
  ++decisions_[std::string(outcome)];
}

void Metrics::commit_batch(std::size_t records) {
  std::lock_guard lock(mutex_);
  std::size_t i = 0;
  while (i < commit_batch_bucket_records.size() && records > commit_batch_bucket_records[i]) ++i;
  if (i < commit_batch_bucket_records.size()) ++commit_buckets_[i];
  ++commits_;
  committed_records_ += records;
}

std::string Metrics::render(const std::vector<std::pair<std::string, double>>& gauges) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP subsidy_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE subsidy_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "subsidy_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\"" << status
        << "\"} " << n << '\n';
  }
  out << "# HELP subsidy_http_request_duration_seconds Time from a request's last byte to its answer.\n"
         "# TYPE subsidy_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_bucket_us.size(); ++i) {
      cumulative += h.buckets[i];
      out << "subsidy_http_request_duration_seconds_bucket{" << labels << ",le=\"" << seconds(latency_bucket_us[i])
          << "\"} " << cumulative << '\n';
    }
    out << "subsidy_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << '\n';
    out << "subsidy_http_request_duration_seconds_sum{" << labels << "} " << seconds(h.sum_us) << '\n';
    out << "subsidy_http_request_duration_seconds_count{" << labels << "} " << h.count << '\n';
  }
  out << "# HELP subsidy_http_connections_refused_total Connections closed at once because connections-max were open.\n"
         "# TYPE subsidy_http_connections_refused_total counter\n"
      << "subsidy_http_connections_refused_total " << connections_refused_ << '\n';
  out << "# HELP subsidy_decisions_total Decisions stored and answered 201, by outcome.\n"
         "# TYPE subsidy_decisions_total counter\n";
  for (const auto& [outcome, n] : decisions_) out << "subsidy_decisions_total{outcome=\"" << outcome << "\"} " << n << '\n';
  out << "# HELP subsidy_commit_batch_records Records written per group commit of the decision pipeline.\n"
         "# TYPE subsidy_commit_batch_records histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < commit_batch_bucket_records.size(); ++i) {
    cumulative += commit_buckets_[i];
    out << "subsidy_commit_batch_records_bucket{le=\"" << commit_batch_bucket_records[i] << "\"} " << cumulative << '\n';
  }
  out << "subsidy_commit_batch_records_bucket{le=\"+Inf\"} " << commits_ << '\n'
      << "subsidy_commit_batch_records_sum " << committed_records_ << '\n'
      << "subsidy_commit_batch_records_count " << commits_ << '\n';
  for (const auto& [name, value] : gauges) {
    out << "# TYPE " << name << " gauge\n" << name << ' ' << value << '\n';
  }
  return out.str();
}

}  // namespace subsidy::api
