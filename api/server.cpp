#include "api/server.h"

#include "api/problem_response.h"
#include "api/router.h"

#include <pthread.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <chrono>
#include <iostream>
#include <optional>

namespace subsidy::api {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using asio::awaitable;

namespace {

constexpr auto as_result = asio::as_tuple(asio::use_awaitable);
// Bytes read ahead while waiting for a request's first byte.
constexpr std::size_t first_read_bytes = 4096;
// How long a connection answered before its streamed body was read takes the rest before closing.
constexpr int unread_body_drain_ms = 1000;

// Counts a request from its first byte until its answer is written (stop() waits for these).
class InFlight {
 public:
  explicit InFlight(std::atomic<std::size_t>& n) : n_(n) { ++n_; }
  ~InFlight() { --n_; }
  InFlight(const InFlight&) = delete;
  InFlight& operator=(const InFlight&) = delete;

 private:
  std::atomic<std::size_t>& n_;
};

// One of connections_max, held by a session until its coroutine ends (or is destroyed at shutdown).
class ConnectionSlot {
 public:
  explicit ConnectionSlot(std::atomic<std::size_t>& open) : open_(open) {}
  ~ConnectionSlot() { --open_; }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;

 private:
  std::atomic<std::size_t>& open_;
};

// What a failed read of a request is answered with, if anything (nullopt: just close).
std::optional<ProblemKind> read_failure_answer(const beast::error_code& ec) {
  if (ec == beast::http::error::body_limit) return ProblemKind::body_too_large;
  if (ec == beast::http::error::header_limit) return ProblemKind::headers_too_large;
  const beast::error_code end_of_stream = beast::http::error::end_of_stream;
  if (ec.category() == end_of_stream.category() && ec != beast::http::error::end_of_stream &&
      ec != beast::http::error::partial_message) {
    return ProblemKind::unparseable;  // not HTTP
  }
  return std::nullopt;
}

std::string read_failure_detail(ProblemKind kind, const ServerSettings& s, std::uint64_t body_limit) {
  switch (kind) {
    case ProblemKind::body_too_large: return "the body is larger than " + std::to_string(body_limit) + " bytes";
    case ProblemKind::headers_too_large:
      return "the request line and headers are larger than " + std::to_string(s.header_bytes_max) + " bytes";
    default: return "not a well-formed HTTP/1.1 request";
  }
}

// The body of a streamed route (body_source.h), read from the connection in pieces of piece_bytes.
// Each piece must arrive within timeout_ms: an upload may take longer than read_timeout_ms in all.
template <class Stream>
class StreamedBody final : public BodySource {
 public:
  StreamedBody(Stream& stream, beast::flat_buffer& buffer, beast::http::request_parser<beast::http::empty_body>&& head,
               std::uint64_t limit, std::uint32_t timeout_ms)
      : stream_(stream), buffer_(buffer), parser_(std::move(head)), limit_(limit), timeout_ms_(timeout_ms) {
    parser_.body_limit(limit);
  }

  const beast::http::request_header<>& header() const { return parser_.get().base(); }
  bool done() const { return parser_.is_done(); }
  bool failed() const { return failed_; }
  std::uint64_t limit() const override { return limit_; }

  awaitable<BodyPiece> next() override {
    if (failed_) co_return BodyPiece{BodyRead::failed, {}};
    if (parser_.is_done()) co_return BodyPiece{BodyRead::end, {}};
    if (!continued_) {
      // A client that waits before sending a large body (curl does) is told to go on only now,
      // when the token and role have been accepted.
      continued_ = true;
      auto expect = parser_.get().find(beast::http::field::expect);
      if (expect != parser_.get().end() && beast::iequals(expect->value(), "100-continue")) {
        beast::http::response<beast::http::empty_body> go_on(beast::http::status::continue_, 11);
        beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(timeout_ms_));
        auto [ec, n] = co_await beast::http::async_write(stream_, go_on, as_result);
        if (ec) {
          failed_ = true;
          co_return BodyPiece{BodyRead::failed, {}};
        }
      }
    }
    auto& body = parser_.get().body();
    body.data = piece_.data();
    body.size = piece_.size();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::milliseconds(timeout_ms_));
    auto [ec, n] = co_await beast::http::async_read_some(stream_, buffer_, parser_, as_result);
    if (ec == beast::http::error::need_buffer) ec = {};  // the piece is full
    if (ec == beast::http::error::body_limit) co_return BodyPiece{BodyRead::too_large, {}};
    if (ec) {
      failed_ = true;
      co_return BodyPiece{BodyRead::failed, {}};
    }
    const std::size_t got = piece_.size() - body.size;
    if (got == 0 && parser_.is_done()) co_return BodyPiece{BodyRead::end, {}};
    co_return BodyPiece{BodyRead::piece, std::string_view(piece_.data(), got)};
  }

 private:
  static constexpr std::size_t piece_bytes = 64 * 1024;
  Stream& stream_;
  beast::flat_buffer& buffer_;
  beast::http::request_parser<beast::http::buffer_body> parser_;
  std::uint64_t limit_;
  std::uint32_t timeout_ms_;
  bool failed_ = false;
  bool continued_ = false;  // Expect: 100-continue answered (or not asked for)
  std::array<char, piece_bytes> piece_{};
};

}  // namespace

struct Server::Impl {
  Impl(ServerSettings s, Services& sv) : settings(std::move(s)), services(sv), ioc(static_cast<int>(settings.threads)) {}

  ServerSettings settings;
  Services& services;
  std::optional<ssl::context> tls;  // before ioc: sessions destroyed with ioc still refer to it
  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> in_flight{0};
  bool stopped = false;

  awaitable<void> listen();
  awaitable<void> refuse(tcp::socket socket);
  awaitable<void> plain_session(tcp::socket socket);
  awaitable<void> tls_session(tcp::socket socket);
  template <class Stream>
  awaitable<void> serve(Stream& stream);
  awaitable<Response> answer(const Request& request, std::string& route, BodySource* body);
};

awaitable<Response> Server::Impl::answer(const Request& request, std::string& route, BodySource* body) {
  std::optional<Response> routed;
  try {
    routed = co_await route_request(services, request, route, body);
  } catch (const std::exception& e) {
    // The router answers a handler's exception itself; this catches the rest (the token
    // check, say), so that no request goes unanswered and nothing becomes a 500.
    std::cerr << "subsidyd: " << route << ": internal failure: " << e.what() << '\n';
  }
  if (routed) co_return std::move(*routed);
  co_return problem_response(ProblemKind::unavailable, "the server could not complete the request; try again");
}

awaitable<void> Server::Impl::listen() {
  for (;;) {
    // Named, not a temporary inside the co_await expression: GCC 12 destroys some such
    // temporaries twice (seen under ASan as a strand released once too often).
    auto strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await acceptor->async_accept(strand, as_result);
    if (stopping) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // Out of descriptors and the like: pause briefly rather than spin.
      asio::steady_timer pause(ioc, std::chrono::milliseconds(50));
      co_await pause.async_wait(as_result);
      continue;
    }
    auto executor = socket.get_executor();
    if (services.open_connections.load() >= settings.connections_max) {
      services.metrics->connection_refused();
      asio::co_spawn(executor, refuse(std::move(socket)), asio::detached);
      continue;
    }
    ++services.open_connections;
    if (tls) asio::co_spawn(executor, tls_session(std::move(socket)), asio::detached);
    else asio::co_spawn(executor, plain_session(std::move(socket)), asio::detached);
  }
}

awaitable<void> Server::Impl::refuse(tcp::socket socket) {
  if (!tls) {
    beast::tcp_stream stream(std::move(socket));
    Response r = problem_response(ProblemKind::unavailable, "too many open connections; retry later");
    r.set(beast::http::field::retry_after, "1");
    r.keep_alive(false);
    stream.expires_after(std::chrono::milliseconds(settings.read_timeout_ms));
    co_await beast::http::async_write(stream, r, as_result);
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    co_return;
  }
  beast::error_code ignored;
  socket.close(ignored);
}

awaitable<void> Server::Impl::plain_session(tcp::socket socket) {
  ConnectionSlot slot(services.open_connections);
  beast::tcp_stream stream(std::move(socket));
  co_await serve(stream);
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

awaitable<void> Server::Impl::tls_session(tcp::socket socket) {
  ConnectionSlot slot(services.open_connections);
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *tls);
  beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(settings.read_timeout_ms));
  auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, as_result);
  if (!ec) {
    co_await serve(stream);
    beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(settings.read_timeout_ms));
    co_await stream.async_shutdown(as_result);
  }
}

template <class Stream>
awaitable<void> Server::Impl::serve(Stream& stream) {
  auto& lowest = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  while (!stopping) {
    if (buffer.size() == 0) {
      lowest.expires_after(std::chrono::milliseconds(settings.idle_timeout_ms));
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(first_read_bytes), as_result);
      if (ec || stopping) co_return;
      buffer.commit(n);
    }
    InFlight counted(in_flight);
    // The header first: the route says how its body is read (whole, under body_bytes_max, or
    // streamed into its handler under import_bytes_max), checked against Content-Length here.
    beast::http::request_parser<beast::http::empty_body> head;
    head.header_limit(static_cast<std::uint32_t>(settings.header_bytes_max));
    head.body_limit(boost::none);
    lowest.expires_after(std::chrono::milliseconds(settings.read_timeout_ms));
    auto [head_ec, head_n] = co_await beast::http::async_read_header(stream, buffer, head, as_result);

    auto started = std::chrono::steady_clock::now();
    std::string route = "unmatched";
    std::string method = "-";
    Response response;
    bool close = false;
    bool unread_body = false;  // the answer comes before the body was read: see below
    std::optional<ProblemKind> refused;
    if (head_ec) {
      refused = read_failure_answer(head_ec);
      if (!refused) co_return;  // closed by the client, or too slow: nothing to answer
    }
    const bool streamed = !refused && route_streams_body(head.get().method(), head.get().target());
    const std::uint64_t limit = streamed ? settings.import_bytes_max : settings.body_bytes_max;
    if (!refused && head.content_length() && *head.content_length() > limit) refused = ProblemKind::body_too_large;
    if (refused) {
      response = problem_response(*refused, read_failure_detail(*refused, settings, limit));
      close = true;
    } else if (streamed) {
      StreamedBody<Stream> body(stream, buffer, std::move(head), limit, settings.read_timeout_ms);
      const Request request(body.header());
      method = std::string(request.method_string());
      response = co_await answer(request, route, &body);
      if (body.failed()) co_return;  // the client went away mid-body: no one to answer
      // A body left unread cannot be skipped over safely: the connection ends with this answer.
      unread_body = !body.done();
      close = unread_body || !request.keep_alive() || stopping;
    } else {
      beast::http::request_parser<beast::http::string_body> parser(std::move(head));
      parser.body_limit(settings.body_bytes_max);  // a chunked body, which has no Content-Length
      auto [read_ec, read_n] = co_await beast::http::async_read(stream, buffer, parser, as_result);
      if (read_ec) {
        auto kind = read_failure_answer(read_ec);
        if (!kind) co_return;
        response = problem_response(*kind, read_failure_detail(*kind, settings, limit));
        close = true;
      } else {
        const Request& request = parser.get();
        method = std::string(request.method_string());
        response = co_await answer(request, route, nullptr);
        close = !request.keep_alive() || stopping;
      }
    }
    response.version(11);
    response.keep_alive(!close);
    response.prepare_payload();
    // Counted before the write, so that a client that has its answer also finds it in /metrics.
    services.metrics->observe(method, route, response.result_int(),
                              std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started));
    lowest.expires_after(std::chrono::milliseconds(settings.read_timeout_ms));
    auto [write_ec, written] = co_await beast::http::async_write(stream, response, as_result);
    if (!write_ec && unread_body) {
      // Closing with the client's bytes unread would reset the connection, and a client still
      // sending could lose the answer: take what it sends for a moment first.
      lowest.expires_after(std::chrono::milliseconds(unread_body_drain_ms));
      for (;;) {
        buffer.consume(buffer.size());
        auto [drain_ec, drained] = co_await stream.async_read_some(buffer.prepare(first_read_bytes), as_result);
        if (drain_ec) break;
        buffer.commit(drained);
      }
    }
    if (write_ec || close) co_return;
  }
}

Server::Server(ServerSettings settings, Services& services)
    : impl_(std::make_unique<Impl>(std::move(settings), services)) {}

Server::~Server() { stop(); }

bool Server::start(std::string& error) {
  Impl& m = *impl_;
  try {
    if (m.settings.tls()) {
      m.tls.emplace(ssl::context::tls_server);
      m.tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                         ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
      m.tls->use_certificate_chain_file(m.settings.tls_cert);
      m.tls->use_private_key_file(m.settings.tls_key, ssl::context::pem);
    }
    tcp::endpoint endpoint(asio::ip::make_address(m.settings.address), m.settings.port);
    m.acceptor.emplace(m.ioc);
    m.acceptor->open(endpoint.protocol());
    m.acceptor->set_option(asio::socket_base::reuse_address(true));
    m.acceptor->bind(endpoint);
    m.acceptor->listen(asio::socket_base::max_listen_connections);
    port_ = m.acceptor->local_endpoint().port();
  } catch (const std::exception& e) {
    error = std::string("cannot listen on ") + m.settings.address + ":" + std::to_string(m.settings.port) + ": " +
            e.what();
    return false;
  }
  asio::co_spawn(m.acceptor->get_executor(), m.listen(), asio::detached);
  for (unsigned i = 0; i < m.settings.threads; ++i) {
    m.threads.emplace_back([&m] {
      pthread_setname_np(pthread_self(), "subsidyd-http");  // as top -H and perf show it
      m.ioc.run();
    });
  }
  return true;
}

void Server::stop() {
  Impl& m = *impl_;
  if (m.stopped) return;
  m.stopped = true;
  m.stopping = true;
  if (m.acceptor) {
    asio::post(m.acceptor->get_executor(), [&m] {
      beast::error_code ignored;
      m.acceptor->close(ignored);
    });
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m.settings.shutdown_grace_ms);
  while (m.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  m.ioc.stop();
  for (std::thread& t : m.threads) t.join();
  m.threads.clear();
}

}  // namespace subsidy::api
