// The malformed-input battery of issue 4: each input gets its documented answer, and the server
// keeps serving others meanwhile.

#include "api_fixture.h"

#include <doctest/doctest.h>

#include <boost/asio/write.hpp>

#include <future>
#include <thread>

namespace subsidy::api::test {

namespace {

// The first problem's pointer, or "" when errors is empty.
std::string first_pointer(const Reply& reply) {
  boost::json::value body = reply.json();
  const auto& errors = body.at("errors").as_array();
  return errors.empty() ? "" : std::string(errors.at(0).at("pointer").as_string());
}

}  // namespace

TEST_CASE("truncated JSON / invalid UTF-8 / 100000-deep nesting and a duplicate key are 400") {
  ApiFixture server;
  std::string claim = valid_claim();
  check_problem(server.send(http::verb::post, "/v1/claims", clerk_token, claim.substr(0, claim.size() / 2)), 400);

  std::string bad_utf8 = claim;
  bad_utf8.replace(bad_utf8.find("HB-2020"), 2, "\xC3\x28");  // a lead byte followed by no continuation
  check_problem(server.send(http::verb::post, "/v1/claims", clerk_token, bad_utf8), 400);

  std::string deep(100'000, '[');
  Reply nested = server.send(http::verb::post, "/v1/claims", clerk_token, deep);
  check_problem(nested, 400);
  CHECK(nested.json().at("detail").as_string().find("64") != std::string::npos);

  Reply duplicate = server.send(http::verb::post, "/v1/claims", clerk_token,
                                R"({"claim_id": "HB-1", "months": ["2020-01"], "months": ["2020-02"]})");
  check_problem(duplicate, 400);
  CHECK(first_pointer(duplicate) == "/months");
  CHECK(server.pipeline.submitted == 0);
}

TEST_CASE("an unknown field is 422 and a number out of range 400 - each naming the field") {
  ApiFixture server;
  std::string claim = valid_claim();
  std::string typo = claim;
  typo.replace(typo.find("\"months\""), 8, "\"month\"");
  Reply unknown = server.send(http::verb::post, "/v1/claims", clerk_token, typo);
  check_problem(unknown, 422);
  bool named = false;
  boost::json::value unknown_body = unknown.json();
  for (const auto& e : unknown_body.at("errors").as_array()) named = named || e.at("pointer") == "/month";
  CHECK(named);

  std::string huge = claim;
  huge.replace(huge.find("\"2019-10-08\""), 12, "1e999");  // employment.start as a huge number
  Reply range = server.send(http::verb::post, "/v1/claims", clerk_token, huge);
  check_problem(range, 400);  // the strict reader refuses it before any field is looked at
  CHECK(first_pointer(range) == "/employment/start");
}

TEST_CASE("a 50 MB body is answered 413 at once / unread - the connection is closed") {
  ApiFixture server;
  Client client(server.port());
  // Only the head and a first kilobyte are sent: the answer must come from Content-Length alone.
  client.write_raw("POST /v1/claims HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + clerk_token +
                   "\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n" + std::string(1024, ' '));
  Reply reply = client.read_reply();
  check_problem(reply, 413);
  CHECK(reply.header(http::field::connection) == "close");
  CHECK(client.closed_by_server());
}

TEST_CASE("a chunked body over the limit is 413 too") {
  ServerSettings settings = test_settings();
  settings.body_bytes_max = 4096;
  ApiFixture server(settings);
  Client client(server.port());
  std::string chunk(3000, 'x');
  client.write_raw("POST /v1/claims HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   "Transfer-Encoding: chunked\r\n\r\nbb8\r\n" + chunk + "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n");
  check_problem(client.read_reply(), 413);
}

TEST_CASE("headers over the limit are 431") {
  ApiFixture server;
  Client client(server.port());
  Reply reply = client.send(http::verb::get, "/healthz", "", "", "", {{"X-Padding", std::string(9000, 'a')}});
  check_problem(reply, 431);
  CHECK(client.closed_by_server());
}

TEST_CASE("malformed HTTP is 400 and closed") {
  ApiFixture server;
  Client client(server.port());
  client.write_raw("NOT HTTP AT ALL\r\n\r\n");
  check_problem(client.read_reply(), 400);
}

TEST_CASE("a client sending one byte per second is cut off at read_timeout while others are served") {
  ApiFixture server;  // read_timeout_ms = 1500
  auto slow = std::async(std::launch::async, [&] {
    Client client(server.port());
    std::string request = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
    auto start = std::chrono::steady_clock::now();
    for (char c : request) {
      client.write_raw(std::string(1, c));
      std::this_thread::sleep_for(std::chrono::seconds(1));
      if (std::chrono::steady_clock::now() - start > std::chrono::seconds(4)) break;
    }
    bool closed = client.closed_by_server();
    return std::make_pair(closed, std::chrono::steady_clock::now() - start);
  });
  // Meanwhile other clients are answered promptly.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  for (int i = 0; i < 10; ++i) {
    auto start = std::chrono::steady_clock::now();
    CHECK(server.send(http::verb::get, "/healthz").status == 200);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::milliseconds(500));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto [closed, elapsed] = slow.get();
  CHECK(closed);
  CHECK(elapsed < std::chrono::seconds(6));  // cut off, not served after 37 seconds
}

}  // namespace subsidy::api::test
