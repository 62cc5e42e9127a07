// Connection handling: keep-alive, the idle timeout, the connections_max limit, and a stop that
// lets the request in flight finish.

#include "api_fixture.h"

#include <doctest/doctest.h>

#include <future>
#include <thread>

namespace subsidy::api::test {

TEST_CASE("keep-alive: several requests on one connection - Connection: close is honoured") {
  ApiFixture server;
  Client client(server.port());
  for (int i = 0; i < 5; ++i) CHECK(client.send(http::verb::get, "/healthz").status == 200);
  CHECK(client.send(http::verb::get, "/v1/rulesets", clerk_token).status == 200);
  Reply last = client.send(http::verb::get, "/healthz", "", "", "", {{"Connection", "close"}});
  CHECK(last.status == 200);
  CHECK(client.closed_by_server());
}

TEST_CASE("an idle keep-alive connection is closed after idle_timeout") {
  ServerSettings settings = test_settings();
  settings.idle_timeout_ms = 300;
  ApiFixture server(settings);
  Client client(server.port());
  REQUIRE(client.send(http::verb::get, "/healthz").status == 200);
  auto start = std::chrono::steady_clock::now();
  CHECK(client.closed_by_server());
  auto waited = std::chrono::steady_clock::now() - start;
  CHECK(waited >= std::chrono::milliseconds(250));
  CHECK(waited < std::chrono::milliseconds(2000));
}

TEST_CASE("beyond connections_max a new connection gets 503 + Retry-After and is closed - the open ones keep working") {
  ServerSettings settings = test_settings();
  settings.connections_max = 2;
  ApiFixture server(settings);
  Client a(server.port());
  Client b(server.port());
  REQUIRE(a.send(http::verb::get, "/healthz").status == 200);
  REQUIRE(b.send(http::verb::get, "/healthz").status == 200);
  Client c(server.port());
  Reply refused = c.read_reply();
  check_problem(refused, 503);
  CHECK(refused.header(http::field::retry_after) == "1");
  CHECK(refused.header(http::field::connection) == "close");
  CHECK(a.send(http::verb::get, "/healthz").status == 200);
  check_problem(server.send(http::verb::get, "/metrics"), 503);  // still full: refused before any request
  CHECK(b.send(http::verb::get, "/metrics").body.find("subsidy_http_connections_refused_total 2") != std::string::npos);
}

TEST_CASE("stop() lets a request in flight finish") {
  auto server = std::make_unique<ApiFixture>();
  Client client(server->port());
  // Send the head now and the body after stop() has begun: the request is in flight throughout.
  std::string body = valid_claim();
  client.write_raw("POST /v1/claims HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + clerk_token +
                   "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  auto stopped = std::async(std::launch::async, [&] { server.reset(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  client.write_raw(body);
  Reply reply = client.read_reply();
  CHECK(reply.status == 201);
  CHECK(reply.header(http::field::connection) == "close");
  stopped.get();
}

}  // namespace subsidy::api::test
