// POST /v1/registry/imports over HTTP, with the real pipeline (real_server.h): an import is
// answered with its last record's seq, the same file again with the first answer and nothing
// logged, bad rows with every pointer and nothing logged; a file too large is refused before it
// is read, and a refusal at the header reaches a client that is still sending the body.

#include "audit/base64.h"
#include "audit/digest.h"
#include "engine/identity.h"
#include "engine/sha256.h"
#include "http_client.h"
#include "real_server.h"
#include "store/log_store.h"
#include "store/record_format.h"

#include <doctest/doctest.h>

#include <boost/date_time/gregorian/gregorian.hpp>
#include <boost/json/parse.hpp>

#include <string>

namespace subsidy::api::test {

namespace {

namespace json = boost::json;

constexpr const char* imports = "/v1/registry/imports";
constexpr const char* csv_header = "id_number,name,category,certificate,valid_from,valid_to\n";

// The n-th of distinct valid resident IDs (a birth date from 1960 on, the check character computed).
std::string id_number(std::size_t n) {
  const boost::gregorian::date born = boost::gregorian::date(1960, 1, 1) + boost::gregorian::days(static_cast<long>(n % 15000));
  std::string sequence = std::to_string(1000 + (n / 15000) % 1000).substr(1);
  std::string id = "411202" + boost::gregorian::to_iso_string(born) + sequence;
  id += *resident_id_check_char(id);
  return id;
}

std::vector<store::StoredRecord> logged(const RealServer& server) {
  auto log = store::LogStore::open(server.url());
  REQUIRE(log.ok());
  auto records = log.value()->read(1, store::record_format::read_records_max);
  REQUIRE(records.ok());
  return records.value();
}

Reply post_file(const RealServer& server, const std::string& file, const std::string& type = "text/csv",
                const std::string& token = "") {
  return request(server.port(), http::verb::post, imports, token.empty() ? server.admin() : token, file, type);
}

// The Repr-Digest header (RFC 9530) of these bytes, as subsidy-admin sends it.
std::string repr_digest(const std::string& bytes) {
  return "sha-256=:" + audit::base64_encode(*audit::digest_from_hex(sha256_hex(bytes))) + ":";
}

Reply post_with_digest(const RealServer& server, const std::string& file, const std::string& digest) {
  Client client(server.port());
  return client.send(http::verb::post, imports, server.admin(), file, "text/csv", {{"Repr-Digest", digest}});
}

}  // namespace

TEST_CASE("registry import over HTTP: a Repr-Digest of a file imported before is answered before its body is read") {
  RealServer server;
  const std::string file = std::string(csv_header) + id_number(1) + ",张三,poor_laborer,FP-1,2019-01-01,\n";
  // A new file with its digest (and another algorithm's member beside it) is imported as without.
  Reply first = post_with_digest(server, file, "sha-512=:AAAA:, sha-256=" + repr_digest(file).substr(8));
  REQUIRE_MESSAGE(first.status == 201, first.body);
  const json::value expected = {{"seq", 1}, {"sha256", sha256_hex(file)}, {"persons", 1}, {"rows", 1}};
  CHECK(first.json() == expected);
  // Named by its digest, the import is the answer whatever follows: this body is not even read.
  Reply known = post_with_digest(server, "not a registry export", repr_digest(file));
  REQUIRE_MESSAGE(known.status == 200, known.body);
  CHECK(known.json() == expected);
  // A new body that is not what its digest says is refused, and so is a digest that is not one.
  const std::string other = std::string(csv_header) + id_number(2) + ",李四,,,,\n";
  Reply mismatch = post_with_digest(server, other, repr_digest(other + "x"));
  CHECK(mismatch.status == 400);
  CHECK(mismatch.body.find(sha256_hex(other)) != std::string::npos);
  CHECK(post_with_digest(server, other, "sha-256=:bm90IDMyIGJ5dGVz:").status == 400);
  CHECK(post_with_digest(server, other, "sha-256=abc").status == 400);
  CHECK(logged(server).size() == 1);
  CHECK(post_with_digest(server, other, repr_digest(other)).status == 201);
}

TEST_CASE("registry import over HTTP: 201 with the seq, the same file again 200 and nothing logged") {
  RealServer server;
  const std::string file = std::string("\xEF\xBB\xBF") + csv_header + id_number(1) + ",张三,poor_laborer,FP-1,2019-01-01,\n" +
                           id_number(1) + ",张三,veteran,TY-1,2019-03-01,2020-12-31\n" + id_number(2) + ",李四,,,,\n";
  Reply first = post_file(server, file);
  REQUIRE_MESSAGE(first.status == 201, first.body);
  const json::value expected = {{"seq", 1}, {"sha256", sha256_hex(file)}, {"persons", 2}, {"rows", 3}};
  CHECK(first.json() == expected);
  Reply again = post_file(server, file);
  REQUIRE_MESSAGE(again.status == 200, again.body);
  CHECK(again.json() == expected);
  std::vector<store::StoredRecord> records = logged(server);
  REQUIRE(records.size() == 1);
  CHECK(records[0].type == "registry_import");
  json::value body = json::parse(records[0].canonical);
  CHECK(body.at("persons").as_array().size() == 2);
  CHECK(body.at("token_id") == server.admin_id().c_str());

  // Another file, as JSON Lines, naming one of them again: a second import after the first.
  const std::string lines = "{\"id_number\": \"" + id_number(2) +
                            "\", \"name\": \"李四\", \"certifications\": [{\"category\": \"disabled\", "
                            "\"certificate\": \"CJ-2\", \"valid_from\": \"2018-06-01\", \"valid_to\": null}]}\n";
  Reply second = post_file(server, lines, "application/x-ndjson");
  REQUIRE_MESSAGE(second.status == 201, second.body);
  CHECK(second.json().at("seq") == 2);
  CHECK(second.json().at("rows") == 1);
  CHECK(logged(server).size() == 2);
}

TEST_CASE("registry import over HTTP: bad rows are 422 with every row named, and nothing is logged") {
  RealServer server;
  std::string bad_check = id_number(3);
  bad_check.back() = bad_check.back() == '0' ? '1' : '0';
  const std::string file = std::string(csv_header) + id_number(1) + ",张三,poor_laborer,FP-1,2019-01-01,\n" +
                           bad_check + ",王五,,,,\n" + id_number(2) + ",李四,alien,C-1,2019-01-01,\n" + id_number(1) +
                           ",张叁,,,,\n" + id_number(4) + ",赵六,veteran,TY-4,2019-05-01,2019-04-30\n";
  Reply reply = post_file(server, file);
  REQUIRE_MESSAGE(reply.status == 422, reply.body);
  const json::value problem = reply.json();
  std::vector<std::string> pointers;
  for (const json::value& e : problem.at("errors").as_array()) pointers.emplace_back(e.at("pointer").as_string());
  CHECK(pointers == std::vector<std::string>{"/rows/3/id_number", "/rows/4/category", "/rows/5/name", "/rows/6/valid_to"});
  CHECK(logged(server).empty());
  // The same file, mended, is imported whole.
  CHECK(post_file(server, std::string(csv_header) + id_number(1) + ",张三,,,,\n").status == 201);
}

TEST_CASE("registry import over HTTP: a wrong type is 415, a file over import-bytes-max 413 before it is read") {
  ServerSettings settings;
  settings.import_bytes_max = 4096;
  RealServer server(store::test::make_sqlite_db(), settings);
  const std::string row = id_number(1) + ",张三,,,,\n";
  CHECK(post_file(server, std::string(csv_header) + row, "application/json").status == 415);
  std::string big = csv_header;
  for (std::size_t n = 0; big.size() <= 4096; ++n) big += id_number(n) + ",张三,,,,\n";
  Reply too_large = post_file(server, big);
  CHECK(too_large.status == 413);
  CHECK(too_large.body.find("4096") != std::string::npos);
  CHECK(logged(server).empty());
}

TEST_CASE("registry import over HTTP: a refusal at the header reaches a client still sending a large body") {
  RealServer server;
  std::string big = csv_header;
  while (big.size() < 8 * 1024 * 1024) big += id_number(big.size()) + ",张三,,,,\n";
  // The server answers once it has the header and reads none of the 8 MB.
  CHECK(post_file(server, big, "text/csv", "sbt_unknown").status == 401);
  CHECK(post_file(server, big, "text/csv", server.clerk()).status == 403);
  CHECK(logged(server).empty());
}

TEST_CASE("registry import over HTTP: a large import is logged as parts and answered with the last") {
  RealServer server;
  std::string file = csv_header;
  const std::size_t persons = 20'000;
  for (std::size_t n = 0; n < persons; ++n) {
    file += id_number(n) + ",测试" + std::to_string(n) + ",veteran,TY-" + std::to_string(n) + ",2019-01-01,\n";
  }
  Reply reply = post_file(server, file);
  REQUIRE_MESSAGE(reply.status == 201, reply.body);
  std::vector<store::StoredRecord> records = logged(server);
  REQUIRE(records.size() > 1);
  CHECK(reply.json().at("seq") == records.back().seq);
  CHECK(reply.json().at("persons") == persons);
  std::size_t named = 0;
  for (const store::StoredRecord& r : records) {
    json::value body = json::parse(r.canonical);
    CHECK(body.at("parts") == records.size());
    named += body.at("persons").as_array().size();
  }
  CHECK(named == persons);
}

}  // namespace subsidy::api::test
