// TLS: with a certificate and key the server speaks HTTPS (TLS 1.2 and later only); a TLS 1.1
// client is refused at the handshake.

#include "api_fixture.h"
#include "support/self_signed.h"

#include <doctest/doctest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <filesystem>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;

// One HTTPS GET with a client of the given method; status 0 if the handshake fails.
unsigned https_get(std::uint16_t port, ssl::context::method method, const std::string& target) {
  asio::io_context ioc;
  ssl::context ctx(method);
  ctx.set_verify_mode(ssl::verify_none);
  boost::beast::ssl_stream<asio::ip::tcp::socket> stream(ioc, ctx);
  stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port});
  boost::beast::error_code ec;
  stream.handshake(ssl::stream_base::client, ec);
  if (ec) return 0;
  http::request<http::string_body> req{http::verb::get, target, 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(stream, req, ec);
  boost::beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(stream, buffer, res, ec);
  return ec ? 0 : res.result_int();
}

}  // namespace

TEST_CASE("TLS: HTTPS with TLS 1.2+ / a TLS 1.1 client refused") {
  fs::path dir = fs::temp_directory_path() / ("subsidy-tls-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  ServerSettings settings = test_settings();
  settings.tls_cert = (dir / "cert.pem").string();
  settings.tls_key = (dir / "key.pem").string();
  subsidy::testing::write_self_signed(settings.tls_cert, settings.tls_key);
  {
    ApiFixture server(settings);
    CHECK(https_get(server.port(), ssl::context::tls_client, "/healthz") == 200);
    CHECK(https_get(server.port(), ssl::context::tlsv12_client, "/v1/rulesets") == 401);
    CHECK(https_get(server.port(), ssl::context::tlsv11_client, "/healthz") == 0);
    // Plain HTTP to a TLS port gets no HTTP answer.
    CHECK(server.send(http::verb::get, "/healthz").status == 0);
  }
  fs::remove_all(dir);
}

}  // namespace subsidy::api::test
