// What registry import prints for each kind of answer (cli/import_summary.h), and its exit status.

#include "cli/import_summary.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

namespace subsidy::cli::test {

namespace {

const std::string hash = "3f2a9c0e5b7d4e1f8a6c2b9d0e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f";

HttpAnswer answer(unsigned status, std::string body, std::string content_type = "application/problem+json") {
  HttpAnswer a;
  a.status = status;
  a.content_type = std::move(content_type);
  a.body = std::move(body);
  a.whole_body_sent = true;
  return a;
}

std::string imported_body(int seq, int persons, int rows) {
  return "{\"seq\":" + std::to_string(seq) + ",\"sha256\":\"" + hash + "\",\"persons\":" + std::to_string(persons) +
         ",\"rows\":" + std::to_string(rows) + "}";
}

}  // namespace

TEST_CASE("import summary: 201 is imported, with persons, rows, record and hash") {
  Summary s = summarize_answer(answer(201, imported_body(12, 3, 5), "application/json"));
  CHECK(s.exit_code == 0);
  CHECK(s.text == "imported 3 persons from 5 rows as record 12 (sha256 " + hash + ")\n");
  Summary one = summarize_answer(answer(201, imported_body(40, 1, 1), "application/json"));
  CHECK(one.text == "imported 1 person from 1 row as record 40 (sha256 " + hash + ")\n");
}

TEST_CASE("import summary: 200 is the same file imported before, nothing new logged") {
  Summary s = summarize_answer(answer(200, imported_body(12, 3, 5), "application/json"));
  CHECK(s.exit_code == 0);
  CHECK(s.text == "already imported as record 12: same file (sha256 " + hash + "); nothing new logged\n");
}

TEST_CASE("import summary: a 201 without the import's members is not taken for success") {
  Summary s = summarize_answer(answer(201, R"({"seq":12,"persons":3})", "application/json"));
  CHECK(s.exit_code == 1);
  CHECK(s.text.starts_with("the server answered 201 but not with the import's seq, sha256, persons and rows: "));
  CHECK(summarize_answer(answer(200, "<html>ok</html>", "text/html")).exit_code == 1);
}

TEST_CASE("import summary: 422 lists every problem by line and column, raw when not a row") {
  std::string body = R"json({"type":"about:blank","title":"Unprocessable Content","status":422,
    "detail":"5 rows are bad","errors":[
      {"pointer":"/rows/7/id_number","message":"check character is wrong (expected 'X')"},
      {"pointer":"/rows/7/name","message":"must not be empty"},
      {"pointer":"/rows/9","message":"3 fields, the header has 6"},
      {"pointer":"/rows/1/valid~1to","message":"unknown column"},
      {"pointer":"/format","message":"not a registry export"},
      {"pointer":"/rows/x/name","message":"odd"},
      {"pointer":"","message":"and 2 more bad rows not listed"}]})json";
  Summary s = summarize_answer(answer(422, body));
  CHECK(s.exit_code == 1);
  CHECK(s.text ==
        "the import was refused; nothing was imported:\n"
        "  line 7, id_number: check character is wrong (expected 'X')\n"
        "  line 7, name: must not be empty\n"
        "  line 9: 3 fields, the header has 6\n"
        "  line 1, valid/to: unknown column\n"
        "  /format: not a registry export\n"
        "  /rows/x/name: odd\n"
        "  and 2 more bad rows not listed\n");
}

TEST_CASE("import summary: 422 with 10,001 problems prints them all") {
  std::string body = R"({"title":"Unprocessable Content","status":422,"errors":[)";
  for (int line = 2; line <= 10'002; ++line) {
    body += (line > 2 ? "," : "") + std::string(R"({"pointer":"/rows/)") + std::to_string(line) +
            R"(/category","message":"unknown category"})";
  }
  body += "]}";
  Summary s = summarize_answer(answer(422, body));
  CHECK(s.exit_code == 1);
  CHECK(std::count(s.text.begin(), s.text.end(), '\n') == 10'002);  // the heading and 10,001 problems
  CHECK(s.text.find("  line 2, category: unknown category\n") != std::string::npos);
  CHECK(s.text.ends_with("  line 10002, category: unknown category\n"));
}

TEST_CASE("import summary: 413 gives status, title and detail, answered before the whole file") {
  HttpAnswer a = answer(413, R"({"title":"Content Too Large","status":413,"detail":"the file has more than 1000000 rows"})");
  a.whole_body_sent = false;
  Summary s = summarize_answer(a);
  CHECK(s.exit_code == 1);
  CHECK(s.text ==
        "the server answered 413 Content Too Large: the file has more than 1000000 rows\n"
        "nothing was imported\n"
        "(the server answered before it had the whole file)\n"
        "an import holds at most 1,000,000 rows: split the file\n");
}

TEST_CASE("import summary: 401 and 403 say what is wrong with the token") {
  Summary unauthorized =
      summarize_answer(answer(401, R"({"title":"Unauthorized","status":401,"detail":"no bearer token"})"));
  CHECK(unauthorized.exit_code == 1);
  CHECK(unauthorized.text ==
        "the server answered 401 Unauthorized: no bearer token\n"
        "nothing was imported\n"
        "check the token (--token or SUBSIDY_TOKEN)\n");
  Summary forbidden = summarize_answer(
      answer(403, R"({"title":"Forbidden","status":403,"detail":"the clerk role may not call this endpoint"})"));
  CHECK(forbidden.exit_code == 1);
  CHECK(forbidden.text.ends_with("registry imports need an admin token\n"));
}

TEST_CASE("import summary: 503 says when to try again, from Retry-After") {
  HttpAnswer a = answer(503, R"({"title":"Service Unavailable","status":503,"detail":"the queue is full"})");
  a.retry_after = "5";
  CHECK(summarize_answer(a).text ==
        "the server answered 503 Service Unavailable: the queue is full\nnothing was imported\ntry again in 5 s\n");
}

TEST_CASE("import summary: an answer that is not problem JSON shows status, reason and its start") {
  HttpAnswer a = answer(502, "<html><body>Bad Gateway</body></html>\n<!-- proxy -->", "text/html");
  a.reason = "Bad Gateway";
  Summary s = summarize_answer(a);
  CHECK(s.exit_code == 1);
  CHECK(s.text == "the server answered 502 Bad Gateway: <html><body>Bad Gateway</body></html>…\n");
}

TEST_CASE("import summary: a problem's place from its pointer") {
  CHECK(problem_place("/rows/7/id_number") == "line 7, id_number");
  CHECK(problem_place("/rows/7") == "line 7");
  CHECK(problem_place("/rows/12/a~0b") == "line 12, a~b");
  CHECK(problem_place("/rows") == "/rows");
  CHECK(problem_place("/rows/7/") == "/rows/7/");
  CHECK(problem_place("/rows/7/name/extra") == "/rows/7/name/extra");
  CHECK(problem_place("/person/id_number") == "/person/id_number");
  CHECK(problem_place("") == "");
}

TEST_CASE("import summary: failures name the server or the file") {
  std::string url = "http://127.0.0.1:8080";
  std::string refused = describe_failure({UploadError::Kind::refused, "Connection refused"}, url, "r.csv");
  CHECK(refused.starts_with("cannot connect to http://127.0.0.1:8080: connection refused. Is subsidyd running there?"));
  CHECK(refused.ends_with("\n"));
  CHECK(describe_failure({UploadError::Kind::file, "No such file or directory"}, url, "r.csv") ==
        "r.csv: No such file or directory\n");
  std::string tls = describe_failure({UploadError::Kind::tls, "the server's certificate is not trusted: self-signed certificate"},
                                     "https://registry.example", "r.csv");
  CHECK(tls.find("https://registry.example") != std::string::npos);
  CHECK(tls.find("--ca-file") != std::string::npos);
  std::string broke = describe_failure({UploadError::Kind::transfer, "no answer within 600 s of the last byte"}, url, "r.csv");
  CHECK(broke.find("Sending it again is safe") != std::string::npos);
}

}  // namespace subsidy::cli::test
