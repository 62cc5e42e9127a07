// --server URLs (cli/server_url.h) and an import file's format (cli/import_format.h).

#include "cli/import_format.h"
#include "cli/server_url.h"

#include <doctest/doctest.h>

namespace subsidy::cli::test {

TEST_CASE("server URL: scheme, host, port, base path") {
  std::string error;
  auto plain = parse_server_url("http://127.0.0.1:8080", error);
  REQUIRE(plain.has_value());
  CHECK_FALSE(plain->tls);
  CHECK(plain->host == "127.0.0.1");
  CHECK(plain->port == "8080");
  CHECK(plain->authority == "127.0.0.1:8080");
  CHECK(plain->target("/v1/registry/imports") == "/v1/registry/imports");

  auto tls = parse_server_url("https://subsidy.example.org/hubin/", error);
  REQUIRE(tls.has_value());
  CHECK(tls->tls);
  CHECK(tls->host == "subsidy.example.org");
  CHECK(tls->port == "443");
  CHECK(tls->authority == "subsidy.example.org");
  CHECK(tls->target("/v1/registry/imports") == "/hubin/v1/registry/imports");

  auto v6 = parse_server_url("http://[::1]:9000", error);
  REQUIRE(v6.has_value());
  CHECK(v6->host == "::1");
  CHECK(v6->port == "9000");
  CHECK(v6->authority == "[::1]:9000");
  CHECK(parse_server_url("http://localhost", error)->port == "80");
}

TEST_CASE("server URL: refused forms say why") {
  std::string error;
  CHECK_FALSE(parse_server_url("127.0.0.1:8080", error));
  CHECK(error.find("http:// or https://") != std::string::npos);
  CHECK_FALSE(parse_server_url("ftp://host", error));
  CHECK_FALSE(parse_server_url("http://admin:secret@host", error));
  CHECK(error.find("user") != std::string::npos);
  CHECK_FALSE(parse_server_url("http://host/?token=x", error));
  CHECK_FALSE(parse_server_url("http://:8080", error));
  CHECK_FALSE(parse_server_url("http://host:99999", error));
  CHECK_FALSE(parse_server_url("http://host:80a", error));
  CHECK_FALSE(parse_server_url("http://[::1", error));
}

TEST_CASE("import format: --format first, else the extension, else an error") {
  std::string error;
  CHECK(import_format("", "registry.csv", error) == ImportFormat::csv);
  CHECK(import_format("", "/data/EXPORT.CSV", error) == ImportFormat::csv);
  CHECK(import_format("", "registry.jsonl", error) == ImportFormat::json_lines);
  CHECK(import_format("", "registry.ndjson", error) == ImportFormat::json_lines);
  CHECK(import_format("jsonl", "registry.csv", error) == ImportFormat::json_lines);
  CHECK(import_format("csv", "export.txt", error) == ImportFormat::csv);
  CHECK_FALSE(import_format("", "export.txt", error));
  CHECK(error.find("--format") != std::string::npos);
  CHECK_FALSE(import_format("", "export", error));
  CHECK_FALSE(import_format("xml", "registry.csv", error));
  CHECK(content_type(ImportFormat::csv) == "text/csv");
  CHECK(content_type(ImportFormat::json_lines) == "application/x-ndjson");
}

}  // namespace subsidy::cli::test
