#include "cli/http_upload.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <optional>
#include <type_traits>
#include <vector>

namespace subsidy::cli {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Kind = UploadError::Kind;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// A 422 lists up to 10,001 problems; far below this. Beyond, the answer is not read.
constexpr std::uint64_t answer_bytes_max = 64u << 20;

using TlsStream = beast::ssl_stream<tcp::socket>;

std::string seconds_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(d.count()) / 1000);
  return text;
}

// What the coroutines of one exchange (exchange, its reader, the watchdog) share. They all run
// on the calling thread's io_context, so nothing here needs a lock.
struct Exchange {
  explicit Exchange(asio::io_context& ioc) : deadline(ioc), answered(ioc) {
    answered.expires_at(Clock::time_point::max());
  }
  // When it passes, the watchdog closes the socket: whatever was pending fails, and timed_out says why.
  asio::steady_timer deadline;
  // Never passes: cancelled by the reader when it is done, which wakes whoever waits for the answer.
  asio::steady_timer answered;
  bool finished = false;
  bool timed_out = false;
  bool writing = false;
  bool read_done = false;
  bool body_complete = false;
  std::uint64_t total = 0;
  std::uint64_t sent = 0;
  beast::error_code read_error;
  beast::error_code write_error;
  std::string file_error;
  std::optional<http::response_parser<http::string_body>> parser;
  std::optional<UploadResult> result;
};

void close(tcp::socket& socket) {
  beast::error_code ignored;
  socket.close(ignored);
}

asio::awaitable<void> watchdog(Exchange& x, tcp::socket& socket) {
  while (!x.finished) {
    co_await x.deadline.async_wait(as_result);  // passed, or cancelled by a new deadline
    if (x.finished) break;
    // Woken by a new deadline (the wait was cancelled): wait for that one.
    if (x.deadline.expiry() > Clock::now()) continue;
    x.timed_out = true;
    close(socket);
    break;
  }
}

// The answer, read alongside the body going out. A 1xx interim answer is skipped.
template <class Stream>
asio::awaitable<void> read_answer(Stream& stream, Exchange& x) {
  beast::flat_buffer buffer;
  for (;;) {
    x.parser.emplace();
    x.parser->body_limit(answer_bytes_max);
    auto [ec, n] = co_await http::async_read(stream, buffer, *x.parser, as_result);
    if (ec) {
      x.read_error = ec;
      break;
    }
    if (x.parser->get().result_int() / 100 != 1) break;
  }
  x.read_done = true;
  x.answered.cancel();
  // Answered (or failed) before the body is all out: the rest would not be read.
  if (x.writing) close(beast::get_lowest_layer(stream));
}

// The request head, then the file chunk by chunk through one serializer (buffer_body: each
// chunk is written from the one buffer, never the whole file).
template <class Stream>
asio::awaitable<void> send_body(Stream& stream, Exchange& x, const UploadRequest& r, std::istream& file,
                                const UploadObserver& observer) {
  http::request<http::buffer_body> request{http::verb::post, r.target, 11};
  request.set(http::field::host, r.server.authority);
  request.set(http::field::user_agent, "subsidy-admin");
  request.set(http::field::accept, "application/json, application/problem+json");
  request.set(http::field::authorization, "Bearer " + r.bearer);
  request.set(http::field::content_type, r.content_type);
  if (!r.repr_digest.empty()) request.set("Repr-Digest", r.repr_digest);
  request.content_length(x.total);
  request.keep_alive(false);
  http::request_serializer<http::buffer_body> serializer{request};
  std::vector<char> chunk(std::max<std::size_t>(r.chunk_bytes, 1));
  x.writing = true;
  do {
    auto want = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), x.total - x.sent));
    std::size_t got = 0;
    if (want > 0) {
      file.read(chunk.data(), static_cast<std::streamsize>(want));
      got = static_cast<std::size_t>(file.gcount());
      if (got < want) {
        x.file_error = "only " + std::to_string(x.sent + got) + " of its " + std::to_string(x.total) +
                       " bytes could be read (did it change while being sent?)";
        break;
      }
    }
    request.body().data = got > 0 ? chunk.data() : nullptr;
    request.body().size = got;
    request.body().more = x.sent + got < x.total;
    auto [ec, n] = co_await http::async_write(stream, serializer, as_result);
    if (ec == http::error::need_buffer) ec = {};
    if (ec) {
      x.write_error = ec;
      break;
    }
    x.sent += got;
    if (!x.timed_out) x.deadline.expires_after(r.idle_timeout);
    if (observer.sent) observer.sent(x.sent);
  } while (!serializer.is_done() && !x.read_done);
  x.writing = false;
  x.body_complete = serializer.is_done();
}

// Host name checks for https: the certificate must name the host (a DNS name, or an IP address
// in its subjectAltName), and the name goes out as SNI for servers hosting several.
bool expect_host(TlsStream& stream, const std::string& host) {
  SSL* ssl = stream.native_handle();
  beast::error_code ec;
  asio::ip::make_address(host, ec);
  if (!ec) return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host.c_str()) == 1;
  return SSL_set1_host(ssl, host.c_str()) == 1 && SSL_set_tlsext_host_name(ssl, host.c_str()) == 1;
}

std::string handshake_failure(TlsStream& stream, const beast::error_code& ec) {
  long verified = SSL_get_verify_result(stream.native_handle());
  if (verified != X509_V_OK) {
    return std::string("the server's certificate is not trusted: ") + X509_verify_cert_error_string(verified);
  }
  return "the TLS handshake failed: " + ec.message();
}

std::string transfer_failure(const Exchange& x, const UploadRequest& r) {
  if (x.timed_out) {
    if (x.body_complete) return "no answer within " + seconds_text(r.answer_timeout) + " of the last byte";
    return "the server took nothing for " + seconds_text(r.idle_timeout) + " (after " + std::to_string(x.sent) +
           " of " + std::to_string(x.total) + " bytes)";
  }
  if (x.write_error) {
    return "the connection broke after " + std::to_string(x.sent) + " of " + std::to_string(x.total) +
           " bytes (" + x.write_error.message() + ") and no answer came";
  }
  if (x.read_error == http::error::body_limit) {
    return "the answer is larger than " + std::to_string(answer_bytes_max) + " bytes";
  }
  if (x.read_error == http::error::end_of_stream || x.read_error == asio::error::eof) {
    return "the server closed the connection without answering";
  }
  return "reading the answer failed: " + x.read_error.message();
}

template <class Stream>
asio::awaitable<void> exchange(Stream& stream, Exchange& x, const UploadRequest& r, std::istream& file,
                               const UploadObserver& observer) {
  tcp::socket& socket = beast::get_lowest_layer(stream);
  auto executor = co_await asio::this_coro::executor;
  x.deadline.expires_after(r.connect_timeout);
  asio::co_spawn(executor, watchdog(x, socket), asio::detached);

  tcp::resolver resolver(executor);
  auto [resolve_ec, endpoints] = co_await resolver.async_resolve(r.server.host, r.server.port, as_result);
  if (resolve_ec) {
    x.result = UploadError{Kind::address, "cannot resolve " + r.server.host + ": " + resolve_ec.message()};
    co_return;
  }
  // Each address in turn ("localhost": ::1, then 127.0.0.1); the watchdog bounds them all.
  beast::error_code connect_ec = asio::error::host_not_found;
  for (const auto& entry : endpoints) {
    if (x.timed_out) break;
    close(socket);
    tcp::endpoint endpoint = entry.endpoint();
    auto [ec] = co_await socket.async_connect(endpoint, as_result);
    connect_ec = ec;
    if (!ec) break;
  }
  if (x.timed_out) {
    x.result = UploadError{Kind::connect, "no connection within " + seconds_text(r.connect_timeout)};
    co_return;
  }
  if (connect_ec) {
    Kind kind = connect_ec == asio::error::connection_refused ? Kind::refused : Kind::connect;
    x.result = UploadError{kind, connect_ec.message()};
    co_return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);

  if constexpr (std::is_same_v<Stream, TlsStream>) {
    if (!expect_host(stream, r.server.host)) {
      x.result = UploadError{Kind::tls, "cannot set the host name to check the certificate against"};
      co_return;
    }
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::client, as_result);
    if (ec) {
      x.result = UploadError{Kind::tls, x.timed_out ? "the TLS handshake did not finish within " +
                                                          seconds_text(r.connect_timeout)
                                                    : handshake_failure(stream, ec)};
      co_return;
    }
  }

  x.deadline.expires_after(r.idle_timeout);
  if (observer.started) observer.started(x.total);
  asio::co_spawn(executor, read_answer(stream, x), asio::detached);
  co_await send_body(stream, x, r, file, observer);
  if (!x.file_error.empty()) {
    close(socket);  // the server must not take a truncated body for the file
  } else if (!x.read_done) {
    if (x.body_complete) {
      if (observer.body_sent) observer.body_sent();
      if (!x.timed_out) x.deadline.expires_after(r.answer_timeout);
    } else if (!x.timed_out) {
      // Writing failed: an answer sent before the server closed may still be on its way.
      x.deadline.expires_after(std::min<std::chrono::milliseconds>(r.idle_timeout, std::chrono::seconds(10)));
    }
  }
  if (!x.read_done) co_await x.answered.async_wait(as_result);

  if (!x.file_error.empty()) {
    x.result = UploadError{Kind::file, x.file_error};
  } else if (!x.read_error && x.parser && x.parser->is_done()) {
    const auto& message = x.parser->get();
    HttpAnswer answer;
    answer.status = message.result_int();
    answer.reason = std::string(message.reason());
    auto header = [&message](http::field f) {
      auto it = message.find(f);
      return it == message.end() ? std::string() : std::string(it->value());
    };
    answer.content_type = header(http::field::content_type);
    answer.retry_after = header(http::field::retry_after);
    answer.body = message.body();
    answer.whole_body_sent = x.body_complete;
    x.result = std::move(answer);
  } else {
    x.result = UploadError{Kind::transfer, transfer_failure(x, r)};
  }
}

// Runs one exchange over stream to its end; rethrows what an observer threw.
template <class Stream>
UploadResult run(asio::io_context& ioc, Stream& stream, Exchange& x, const UploadRequest& r, std::istream& file,
                 const UploadObserver& observer) {
  std::exception_ptr failure;
  asio::co_spawn(ioc, exchange(stream, x, r, file, observer), [&](std::exception_ptr e) {
    failure = e;
    x.finished = true;
    x.deadline.cancel();
    close(beast::get_lowest_layer(stream));
  });
  ioc.run();
  if (failure) std::rethrow_exception(failure);
  return std::move(*x.result);
}

}  // namespace

namespace {

// The exchange for a body of `size` bytes read from `body`, over http or https as r.server says.
UploadResult upload(const UploadRequest& r, std::istream& body, std::uint64_t size, const UploadObserver& observer) {
  asio::io_context ioc;
  Exchange x(ioc);
  x.total = size;
  if (!r.server.tls) {
    tcp::socket stream(ioc);
    return run(ioc, stream, x, r, body, observer);
  }
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
  context.set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  if (r.ca_file.empty()) {
    context.set_default_verify_paths(ec);
  } else {
    context.load_verify_file(r.ca_file, ec);
  }
  if (ec) {
    return UploadError{Kind::tls, "cannot load " + (r.ca_file.empty() ? std::string("the system's certificates")
                                                                        : r.ca_file) + ": " + ec.message()};
  }
  TlsStream stream(ioc, context);
  return run(ioc, stream, x, r, body, observer);
}

}  // namespace

UploadResult upload_file(const UploadRequest& r, const UploadObserver& observer) {
  std::error_code size_ec;
  std::uintmax_t size = std::filesystem::file_size(r.file, size_ec);
  if (size_ec) return UploadError{Kind::file, size_ec.message()};
  std::ifstream file(r.file, std::ios::binary);
  if (!file) return UploadError{Kind::file, "cannot be opened"};
  return upload(r, file, size, observer);
}

UploadResult post_bytes(const UploadRequest& r, const std::string& body) {
  std::istringstream in(body);
  return upload(r, in, body.size(), {});
}

}  // namespace subsidy::cli
