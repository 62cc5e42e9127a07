#include "bench/load_client.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

namespace subsidy::tools {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// What one connection saw; merged after the run, so the hot path takes no lock.
struct ConnectionStats {
  std::map<int, std::uint64_t> statuses;
  std::uint64_t transport_errors = 0;
  std::uint64_t reconnects = 0;
  std::vector<double> latencies_us;
  clock_type::time_point last_measured{};
};

// The run's phases and request numbering, shared by the connections.
class Run {
 public:
  explicit Run(const LoadOptions& o)
      : options_(o), warm_end_(clock_type::now() + o.warm_up), end_(warm_end_ + o.duration) {}

  struct Next {
    std::uint64_t n;
    bool measured;
  };
  // The next request to send, or nullopt when the run is over.
  std::optional<Next> next() {
    auto now = clock_type::now();
    bool measured = now >= warm_end_;
    if (measured && options_.requests > 0 && measured_sent_.fetch_add(1) >= options_.requests) return std::nullopt;
    if (measured && options_.requests == 0 && now >= end_) return std::nullopt;
    return Next{n_.fetch_add(1), measured};
  }
  clock_type::time_point warm_end() const { return warm_end_; }

 private:
  const LoadOptions& options_;
  clock_type::time_point warm_end_, end_;
  std::atomic<std::uint64_t> n_{0}, measured_sent_{0};
};

http::request<http::string_body> make_request(const LoadOptions& o, const std::string& authorization, LoadRequest r) {
  http::request<http::string_body> req{http::verb::post, r.target, 11};
  req.set(http::field::host, o.host);
  if (!authorization.empty()) req.set(http::field::authorization, authorization);
  req.set(http::field::content_type, "application/json");
  req.keep_alive(true);
  req.body() = std::move(r.body);
  req.prepare_payload();
  return req;
}

void close(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
  buffer.clear();
}

asio::awaitable<bool> connect(beast::tcp_stream& stream, const tcp::endpoint& endpoint, const LoadOptions& o) {
  stream.expires_after(o.request_timeout);
  auto [ec] = co_await stream.async_connect(endpoint, as_result);
  if (!ec) {
    stream.socket().set_option(tcp::no_delay(true));
    co_return true;
  }
  // Refused or timed out: pause rather than spin through the run's requests.
  asio::steady_timer pause(stream.get_executor(), std::chrono::milliseconds(10));
  co_await pause.async_wait(as_result);
  co_return false;
}

// One keep-alive connection: send, wait for the answer, record it, send the next.
asio::awaitable<void> connection(Run& run, const LoadOptions& o, const RequestSource& source, tcp::endpoint endpoint,
                                 ConnectionStats& stats) {
  beast::tcp_stream stream(co_await asio::this_coro::executor);
  beast::flat_buffer buffer;
  const std::string authorization = o.bearer.empty() ? "" : "Bearer " + o.bearer;
  bool connected = false;
  while (auto next = run.next()) {
    if (!connected) {
      connected = co_await connect(stream, endpoint, o);
      if (!connected) {
        ++stats.transport_errors;
        continue;
      }
    }
    auto request = make_request(o, authorization, source(next->n));
    http::response<http::string_body> response;
    auto sent = clock_type::now();
    stream.expires_after(o.request_timeout);
    auto [write_ec, written] = co_await http::async_write(stream, request, as_result);
    beast::error_code ec = write_ec;
    if (!ec) {
      auto [read_ec, read] = co_await http::async_read(stream, buffer, response, as_result);
      ec = read_ec;
    }
    auto answered = clock_type::now();
    if (ec) {
      ++stats.transport_errors;
      close(stream, buffer);
      connected = false;
      continue;
    }
    ++stats.statuses[response.result_int()];
    if (o.on_answer) o.on_answer(response.result_int(), response.body());
    if (next->measured) {
      stats.latencies_us.push_back(std::chrono::duration<double, std::micro>(answered - sent).count());
      stats.last_measured = answered;
    }
    if (response.need_eof()) {
      ++stats.reconnects;
      close(stream, buffer);
      connected = false;
    }
  }
  if (connected) close(stream, buffer);
}

LoadResult merge(std::vector<ConnectionStats>& all, clock_type::time_point warm_end) {
  LoadResult r;
  clock_type::time_point last = warm_end;
  for (ConnectionStats& s : all) {
    for (auto [status, n] : s.statuses) r.statuses[status] += n;
    r.transport_errors += s.transport_errors;
    r.reconnects += s.reconnects;
    r.latencies_us.insert(r.latencies_us.end(), s.latencies_us.begin(), s.latencies_us.end());
    last = std::max(last, s.last_measured);
  }
  std::sort(r.latencies_us.begin(), r.latencies_us.end());
  r.measured_seconds = std::chrono::duration<double>(last - warm_end).count();
  return r;
}

}  // namespace

std::uint64_t LoadResult::count(int status) const {
  auto it = statuses.find(status);
  return it == statuses.end() ? 0 : it->second;
}

std::uint64_t LoadResult::answers() const {
  std::uint64_t n = 0;
  for (auto [status, k] : statuses) n += k;
  return n;
}

std::uint64_t LoadResult::non_2xx() const {
  std::uint64_t n = 0;
  for (auto [status, k] : statuses) n += status / 100 == 2 ? 0 : k;
  return n;
}

double LoadResult::requests_per_second() const {
  return measured_seconds > 0 ? static_cast<double>(latencies_us.size()) / measured_seconds : 0;
}

double LoadResult::percentile_us(double q) const {
  if (latencies_us.empty()) return 0;
  auto i = static_cast<std::size_t>(q * static_cast<double>(latencies_us.size() - 1) + 0.5);
  return latencies_us[std::min(i, latencies_us.size() - 1)];
}

double LoadResult::max_us() const { return latencies_us.empty() ? 0 : latencies_us.back(); }

LoadResult drive_load(const LoadOptions& options, const RequestSource& source) {
  asio::io_context ioc(static_cast<int>(options.threads));
  tcp::endpoint endpoint(asio::ip::make_address(options.host), options.port);
  std::vector<ConnectionStats> stats(options.connections);
  Run run(options);
  for (ConnectionStats& s : stats) asio::co_spawn(ioc, connection(run, options, source, endpoint, s), asio::detached);
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (std::thread& t : threads) t.join();
  return merge(stats, run.warm_end());
}

}  // namespace subsidy::tools
