// The streamed upload (cli/http_upload.h) against the small server of upload_server.h: the body
// arrives byte for byte with the right head, over http and https; memory does not grow with the
// file; an answer sent before the body was all read, with the connection then reset, is still
// the answer; a port where nothing listens is told apart.

#include "cli/http_upload.h"
#include "cli/import_summary.h"
#include "support/temporary_directory.h"
#include "upload_server.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <variant>

namespace subsidy::cli::test {

namespace {

constexpr const char* bearer = "sbt_test_admin_0123456789";

UploadRequest request_for(const std::string& url, const std::string& file) {
  std::string error;
  auto server = parse_server_url(url, error);
  REQUIRE_MESSAGE(server.has_value(), error);
  UploadRequest r;
  r.server = *server;
  r.target = server->target("/v1/registry/imports");
  r.bearer = bearer;
  r.content_type = "text/csv";
  r.file = file;
  return r;
}

// What a registry server answers a good import: the counts and hash of what it received.
Reply imported(const ReceivedRequest& seen) {
  return {201, "application/json",
          "{\"seq\":12,\"sha256\":\"" + seen.sha256 + "\",\"persons\":" + std::to_string(seen.first_fields) +
              ",\"rows\":" + std::to_string(seen.lines - 1) + "}"};
}

Reply unauthorized(const ReceivedRequest&) {
  return {401, "application/problem+json",
          R"({"type":"about:blank","title":"Unauthorized","status":401,"detail":"the bearer token is unknown or revoked"})"};
}

struct Watched {
  std::uint64_t started_total = 0;
  std::uint64_t last_sent = 0;
  std::uint64_t calls = 0;
  bool body_sent = false;
};

UploadObserver watch(Watched& w) {
  UploadObserver o;
  o.started = [&w](std::uint64_t total) { w.started_total = total; };
  o.sent = [&w](std::uint64_t sent) {
    CHECK(sent >= w.last_sent);
    w.last_sent = sent;
    ++w.calls;
  };
  o.body_sent = [&w] { w.body_sent = true; };
  return o;
}

const HttpAnswer& answer_of(const UploadResult& result) {
  if (const auto* e = std::get_if<UploadError>(&result)) FAIL("no answer: " << e->message);
  return std::get<HttpAnswer>(result);
}

long max_rss_kib() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace

TEST_CASE("upload: the body is the file byte for byte with Content-Type and Authorization, and 201 comes back") {
  subsidy::testing::TemporaryDirectory dir("cli_upload");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 60'000);  // about 4 MB
  auto size = std::filesystem::file_size(file);
  REQUIRE(size > 3'000'000);
  UploadServer server(file, true, imported);
  Watched w;
  UploadRequest r = request_for(server.url() + "/", file);
  r.content_type = "application/x-ndjson";  // passed through as given
  UploadResult result = upload_file(r, watch(w));
  ReceivedRequest seen = server.received();

  CHECK(seen.failure == "");
  CHECK(seen.method == "POST");
  CHECK(seen.target == "/v1/registry/imports");
  CHECK(seen.host == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(seen.authorization == std::string("Bearer ") + bearer);
  CHECK(seen.content_type == "application/x-ndjson");
  CHECK(seen.content_length == std::to_string(size));
  CHECK(seen.body_read);
  CHECK(seen.body_bytes == size);
  CHECK(seen.matches_file);
  CHECK(seen.sha256 == file_sha256(file));

  const HttpAnswer& answer = answer_of(result);
  CHECK(answer.status == 201);
  CHECK(answer.content_type == "application/json");
  CHECK(answer.whole_body_sent);
  Summary summary = summarize_answer(answer);
  CHECK(summary.exit_code == 0);
  CHECK(summary.text == "imported 30000 persons from 60000 rows as record 12 (sha256 " + file_sha256(file) + ")\n");

  // Progress came in chunks of at most 64 KiB, up to the size, then the end of the body.
  CHECK(w.started_total == size);
  CHECK(w.last_sent == size);
  CHECK(w.calls >= size / (64 * 1024));
  CHECK(w.body_sent);
}

TEST_CASE("upload: an empty file is a body of 0 bytes") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_empty");
  std::string file = dir.file("empty.csv");
  { std::ofstream touch(file); }
  UploadServer server(file, true, [](const ReceivedRequest& seen) {
    return Reply{422, "application/problem+json",
                 "{\"title\":\"Unprocessable Content\",\"status\":422,\"errors\":[{\"pointer\":\"\",\"message\":"
                 "\"no header line in " + std::to_string(seen.body_bytes) + " bytes\"}]}"};
  });
  UploadResult result = upload_file(request_for(server.url(), file));
  ReceivedRequest seen = server.received();
  CHECK(seen.content_length == "0");
  CHECK(seen.body_read);
  CHECK(seen.matches_file);
  const HttpAnswer& answer = answer_of(result);
  CHECK(answer.status == 422);
  CHECK(summarize_answer(answer).text == "the import was refused; nothing was imported:\n  no header line in 0 bytes\n");
}

TEST_CASE("upload: memory does not grow with the file") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_memory");
  std::string file = dir.file("big.csv");
  write_registry_csv(file, 1'000'000);  // about 70 MB
  auto size = std::filesystem::file_size(file);
  REQUIRE(size > 60'000'000);
  UploadServer server(file, true, imported);
  long before = max_rss_kib();
  UploadResult result = upload_file(request_for(server.url(), file));
  long grown_kib = max_rss_kib() - before;
  ReceivedRequest seen = server.received();
  CHECK(seen.matches_file);
  CHECK(answer_of(result).status == 201);
  // Client and server together; holding the file would be 60+ MB.
  CHECK_MESSAGE(grown_kib < 16 * 1024, "peak memory grew by " << grown_kib << " KiB for a " << size << "-byte file");
}

TEST_CASE("upload: a 401 sent after the head alone, the connection closed unread, is still the answer") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_401");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 240'000);  // about 16 MB: more than the socket buffers hold
  auto size = std::filesystem::file_size(file);
  UploadServer server(file, false, unauthorized);
  Watched w;
  UploadResult result = upload_file(request_for(server.url(), file), watch(w));
  ReceivedRequest seen = server.received();
  CHECK(seen.failure == "");
  CHECK_FALSE(seen.body_read);

  const HttpAnswer& answer = answer_of(result);
  CHECK(answer.status == 401);
  CHECK(answer.content_type == "application/problem+json");
  CHECK_FALSE(answer.whole_body_sent);
  CHECK(w.last_sent < size);
  CHECK_FALSE(w.body_sent);
  Summary summary = summarize_answer(answer);
  CHECK(summary.exit_code == 1);
  CHECK(summary.text.starts_with("the server answered 401 Unauthorized: the bearer token is unknown or revoked\n"));
}

TEST_CASE("upload: no answer within the answer timeout after the last byte is a transfer failure") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_slow");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 1000);
  UploadServer server(file, true, [](const ReceivedRequest& seen) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // checking, longer than the client waits
    return imported(seen);
  });
  Watched w;
  UploadRequest r = request_for(server.url(), file);
  r.answer_timeout = std::chrono::milliseconds(200);
  auto before = std::chrono::steady_clock::now();
  UploadResult result = upload_file(r, watch(w));
  auto waited = std::chrono::steady_clock::now() - before;
  CHECK(server.received().matches_file);
  CHECK(w.body_sent);
  const auto* error = std::get_if<UploadError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->kind == UploadError::Kind::transfer);
  CHECK(error->message == "no answer within 0.2 s of the last byte");
  CHECK(waited < std::chrono::milliseconds(1400));
}

TEST_CASE("upload: https with the server's certificate as --ca-file, and refused without it") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_tls");
  TlsFiles tls = write_self_signed(dir.file(""));
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 20'000);
  SUBCASE("trusted through --ca-file") {
    UploadServer server(file, true, imported, tls);
    UploadRequest r = request_for(server.url(), file);
    r.ca_file = tls.certificate;
    UploadResult result = upload_file(r);
    ReceivedRequest seen = server.received();
    CHECK(seen.failure == "");
    CHECK(seen.matches_file);
    CHECK(seen.authorization == std::string("Bearer ") + bearer);
    CHECK(answer_of(result).status == 201);
  }
  SUBCASE("not in the system's store") {
    UploadServer server(file, true, imported, tls);
    UploadResult result = upload_file(request_for(server.url(), file));
    ReceivedRequest seen = server.received();
    CHECK(seen.failure.starts_with("TLS handshake"));
    const auto* error = std::get_if<UploadError>(&result);
    REQUIRE(error != nullptr);
    CHECK(error->kind == UploadError::Kind::tls);
    CHECK_MESSAGE(error->message.starts_with("the server's certificate is not trusted"), error->message);
  }
}

TEST_CASE("upload: nothing listening is a refused connection, named as such") {
  subsidy::testing::TemporaryDirectory dir("cli_upload_refused");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 10);
  std::uint16_t port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }  // closed: nothing listens there now
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  UploadResult result = upload_file(request_for(url, file));
  const auto* error = std::get_if<UploadError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->kind == UploadError::Kind::refused);
  std::string message = describe_failure(*error, url, file);
  CHECK(message.find(url) != std::string::npos);
  CHECK(message.find("Is subsidyd running there?") != std::string::npos);
}

TEST_CASE("upload: a file that is not there is a file error before any connection") {
  UploadResult result = upload_file(request_for("http://127.0.0.1:9", "/nonexistent/registry.csv"));
  const auto* error = std::get_if<UploadError>(&result);
  REQUIRE(error != nullptr);
  CHECK(error->kind == UploadError::Kind::file);
  CHECK(describe_failure(*error, "http://127.0.0.1:9", "/nonexistent/registry.csv")
            .starts_with("/nonexistent/registry.csv: "));
}

}  // namespace subsidy::cli::test
