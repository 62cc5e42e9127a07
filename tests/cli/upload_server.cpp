#include "upload_server.h"

#include "support/self_signed.h"

#include <doctest/doctest.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <thread>

namespace subsidy::cli::test {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<tcp::socket>;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

std::string hex(const unsigned char* bytes, unsigned size) {
  std::string out;
  char two[3];
  for (unsigned i = 0; i < size; ++i) {
    std::snprintf(two, sizeof two, "%02x", bytes[i]);
    out += two;
  }
  return out;
}

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(context_, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(context_); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const char* data, std::size_t size) { EVP_DigestUpdate(context_, data, size); }
  std::string hex_digest() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned size = 0;
    EVP_DigestFinal_ex(context_, digest, &size);
    return hex(digest, size);
  }

 private:
  EVP_MD_CTX* context_;
};

// Counts lines, and runs of equal first fields after the header, across chunks.
struct LineCounter {
  std::uint64_t lines = 0, runs = 0;
  std::string field, previous;
  bool in_first = true;
  void feed(const char* data, std::size_t size) {
    for (std::size_t i = 0; i < size; ++i) {
      char c = data[i];
      if (c == '\n') {
        end_field();
        ++lines;
        in_first = true;
        field.clear();
      } else if (in_first) {
        if (c == ',') {
          end_field();
        } else {
          field += c;
        }
      }
    }
  }
  void end_field() {
    if (!in_first) return;
    in_first = false;
    if (lines >= 1 && field != previous) {
      ++runs;
      previous = field;
    }
  }
};

template <class Field>
std::string header(const http::request_parser<http::buffer_body>& parser, Field f) {
  auto it = parser.get().find(f);
  return it == parser.get().end() ? "" : std::string(it->value());
}

}  // namespace

struct UploadServer::Impl {
  std::filesystem::path expected_file;
  bool read_body;
  Responder responder;
  bool tls;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::optional<ssl::context> context;
  std::promise<ReceivedRequest> promise;
  std::future<ReceivedRequest> future = promise.get_future();
  std::thread thread;

  template <class Stream>
  asio::awaitable<void> handle(Stream& stream, ReceivedRequest& seen) {
    beast::flat_buffer buffer;
    http::request_parser<http::buffer_body> parser;
    parser.body_limit(boost::none);
    auto [head_ec, head_n] = co_await http::async_read_header(stream, buffer, parser, as_result);
    if (head_ec) {
      seen.failure = "reading the head: " + head_ec.message();
      co_return;
    }
    seen.method = std::string(parser.get().method_string());
    seen.target = std::string(parser.get().target());
    seen.host = header(parser, http::field::host);
    seen.authorization = header(parser, http::field::authorization);
    seen.content_type = header(parser, http::field::content_type);
    seen.repr_digest = header(parser, "Repr-Digest");
    seen.content_length = header(parser, http::field::content_length);
    if (read_body) {
      std::ifstream expected(expected_file, std::ios::binary);
      std::vector<char> chunk(64 * 1024), wanted(64 * 1024);
      Sha256 sha;
      LineCounter counter;
      bool same = static_cast<bool>(expected);
      while (!parser.is_done()) {
        parser.get().body().data = chunk.data();
        parser.get().body().size = chunk.size();
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_result);
        if (ec == http::error::need_buffer) ec = {};
        if (ec) {
          seen.failure = "reading the body: " + ec.message();
          break;
        }
        std::size_t got = chunk.size() - parser.get().body().size;
        seen.body_bytes += got;
        sha.update(chunk.data(), got);
        counter.feed(chunk.data(), got);
        expected.read(wanted.data(), static_cast<std::streamsize>(got));
        same = same && static_cast<std::size_t>(expected.gcount()) == got &&
               std::memcmp(chunk.data(), wanted.data(), got) == 0;
      }
      seen.body_read = parser.is_done();
      // All of the file, and no more: nothing of it left unread.
      seen.matches_file = same && seen.body_read && expected.peek() == std::char_traits<char>::eof();
      seen.sha256 = sha.hex_digest();
      seen.lines = counter.lines;
      seen.first_fields = counter.runs;
    }
    Reply reply = responder(seen);
    http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
    response.set(http::field::content_type, reply.content_type);
    response.body() = reply.body;
    response.keep_alive(false);
    response.prepare_payload();
    auto [write_ec, written] = co_await http::async_write(stream, response, as_result);
    if (write_ec) seen.failure = "writing the answer: " + write_ec.message();
    // Closed without reading the rest: with bytes unread, the kernel answers them with a reset.
    beast::error_code ignored;
    beast::get_lowest_layer(stream).close(ignored);
  }

  asio::awaitable<void> serve() {
    ReceivedRequest seen;
    auto [ec, socket] = co_await acceptor.async_accept(as_result);
    if (ec) {
      seen.failure = "accepting: " + ec.message();
    } else if (!tls) {
      co_await handle(socket, seen);
    } else {
      TlsStream stream(std::move(socket), *context);
      auto [handshake_ec] = co_await stream.async_handshake(ssl::stream_base::server, as_result);
      if (handshake_ec) {
        seen.failure = "TLS handshake: " + handshake_ec.message();
      } else {
        co_await handle(stream, seen);
      }
    }
    promise.set_value(std::move(seen));
  }
};

UploadServer::UploadServer(std::filesystem::path expected_file, bool read_body, Responder responder,
                           std::optional<TlsFiles> tls)
    : impl_(std::make_unique<Impl>()) {
  impl_->expected_file = std::move(expected_file);
  impl_->read_body = read_body;
  impl_->responder = std::move(responder);
  impl_->tls = tls.has_value();
  if (tls) {
    impl_->context.emplace(ssl::context::tls_server);
    impl_->context->use_certificate_chain_file(tls->certificate);
    impl_->context->use_private_key_file(tls->key, ssl::context::pem);
  }
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  asio::co_spawn(impl_->ioc, impl_->serve(), asio::detached);
  impl_->thread = std::thread([m = impl_.get()] { m->ioc.run(); });
}

UploadServer::~UploadServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

std::uint16_t UploadServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string UploadServer::url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

ReceivedRequest UploadServer::received() {
  REQUIRE_MESSAGE(impl_->future.wait_for(std::chrono::seconds(60)) == std::future_status::ready,
                  "the test server saw no finished request within 60 s");
  return impl_->future.get();
}

TlsFiles write_self_signed(const std::filesystem::path& directory) {
  TlsFiles files{(directory / "cert.pem").string(), (directory / "key.pem").string()};
  subsidy::testing::write_self_signed(files.certificate, files.key);
  return files;
}

void write_registry_csv(const std::filesystem::path& file, std::uint64_t rows) {
  std::ofstream out(file, std::ios::binary);
  out << "id_number,name,category,certificate,valid_from,valid_to\n";
  char row[128];
  for (std::uint64_t i = 0; i < rows; ++i) {
    // Not valid id numbers: the server under test here checks bytes, not rows.
    std::snprintf(row, sizeof row, "41120219900101%06llu,Person %llu,poor_laborer,HB-CERT-%llu,2020-01-01,\n",
                  static_cast<unsigned long long>(i / 2), static_cast<unsigned long long>(i / 2),
                  static_cast<unsigned long long>(i));
    out << row;
  }
  REQUIRE(out.good());
}

std::string file_sha256(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  REQUIRE(in.good());
  Sha256 sha;
  std::array<char, 64 * 1024> chunk;
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    sha.update(chunk.data(), static_cast<std::size_t>(in.gcount()));
  }
  return sha.hex_digest();
}

}  // namespace subsidy::cli::test
