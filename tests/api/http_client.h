#pragma once
// A tiny blocking HTTP/1.1 client for the server tests, over a real socket on 127.0.0.1.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace subsidy::api::test {

namespace http = boost::beast::http;

struct Reply {
  unsigned status = 0;  // 0: no answer (the connection was closed or timed out)
  http::fields headers;
  std::string body;
  std::string header(http::field f) const {
    auto it = headers.find(f);
    return it == headers.end() ? "" : std::string(it->value());
  }
  // The body as JSON (fails the test if it is not).
  boost::json::value json() const;
};

class Client {
 public:
  explicit Client(std::uint16_t port);
  // One request on this connection (kept alive). token "" sends no Authorization header.
  Reply send(http::verb method, const std::string& target, const std::string& token = "",
             const std::string& body = "", const std::string& content_type = "application/json",
             const std::vector<std::pair<std::string, std::string>>& extra = {});
  // Raw bytes, then whatever answer comes (status 0 if the server closes without one).
  void write_raw(const std::string& bytes);
  Reply read_reply();
  // true when the server has closed the connection (a read returns end of file or reset).
  bool closed_by_server();

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

// Shorthand: one request on a fresh connection.
Reply request(std::uint16_t port, http::verb method, const std::string& target, const std::string& token = "",
              const std::string& body = "", const std::string& content_type = "application/json");

}  // namespace subsidy::api::test
