// TLS: with a certificate and key the server speaks HTTPS (TLS 1.2 and later only); a TLS 1.1
// client is refused at the handshake.

#include "api_fixture.h"

#include <doctest/doctest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace fs = std::filesystem;

// A self-signed P-256 certificate for 127.0.0.1, written as PEM files into dir.
void write_self_signed(const fs::path& cert_path, const fs::path& key_path) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  REQUIRE(key != nullptr);
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  REQUIRE(X509_sign(cert, key, EVP_sha256()) > 0);
  FILE* c = std::fopen(cert_path.c_str(), "w");
  FILE* k = std::fopen(key_path.c_str(), "w");
  REQUIRE((c != nullptr && k != nullptr));
  PEM_write_X509(c, cert);
  PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(c);
  std::fclose(k);
  X509_free(cert);
  EVP_PKEY_free(key);
}

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
  write_self_signed(settings.tls_cert, settings.tls_key);
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
