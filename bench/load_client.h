#pragma once
// A closed-loop HTTP/1.1 load generator: N keep-alive connections, each sending its next request
// when the answer to the previous one has arrived, with requests taken from a source; collects
// every answer's status and, after a warm-up, each request's latency (steady_clock).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace subsidy::tools {

struct LoadRequest {
  std::string target;  // "/v1/claims"
  std::string body;    // sent as application/json with POST
};

// The n-th request of a run (n from 0, over all connections). Called from the client's threads
// concurrently: it must be a pure function of n, or synchronize itself.
using RequestSource = std::function<LoadRequest(std::uint64_t n)>;

struct LoadOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string bearer;  // Authorization: Bearer ..., when not empty
  std::size_t connections = 64;
  unsigned threads = 1;  // client threads
  std::chrono::milliseconds warm_up{2000};
  // The measured part: this long, or, when requests > 0, until that many requests were sent.
  std::chrono::milliseconds duration{10000};
  std::uint64_t requests = 0;
  std::chrono::milliseconds request_timeout{30000};
  // Called with every answer's status and body, from the client's threads: it must synchronize
  // itself. Empty: the bodies are not looked at.
  std::function<void(int status, const std::string& body)> on_answer;
};

struct LoadResult {
  // Every answer, the warm-up's included (a claim answered during the warm-up is logged too).
  std::map<int, std::uint64_t> statuses;
  std::uint64_t transport_errors = 0;  // connect, write or read failures and timeouts
  std::uint64_t reconnects = 0;        // the server closed a keep-alive connection
  // The measured requests: sent after the warm-up; latency in microseconds, sorted.
  std::vector<double> latencies_us;
  double measured_seconds = 0;  // from the end of the warm-up to the last measured answer

  std::uint64_t count(int status) const;
  std::uint64_t answers() const;
  std::uint64_t non_2xx() const;
  double requests_per_second() const;
  double percentile_us(double q) const;  // q in [0, 1]; 0 when nothing was measured
  double max_us() const;
};

// Drives options.connections connections against host:port until the run ends, then waits for
// the answers in flight. The source's n is unique over the run.
LoadResult drive_load(const LoadOptions& options, const RequestSource& source);

}  // namespace subsidy::tools
