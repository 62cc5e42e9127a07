#include "http_client.h"

#include "engine/json_reader.h"

#include <doctest/doctest.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>

namespace subsidy::api::test {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

boost::json::value Reply::json() const {
  auto parsed = read_json(body);
  if (auto* e = std::get_if<JsonSyntaxError>(&parsed)) FAIL("not JSON: " << e->message << ": " << body);
  return std::get<boost::json::value>(std::move(parsed));
}

Client::Client(std::uint16_t port) : socket_(ioc_) {
  socket_.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
}

Reply Client::send(http::verb method, const std::string& target, const std::string& token, const std::string& body,
                   const std::string& content_type, const std::vector<std::pair<std::string, std::string>>& extra) {
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  if (!body.empty() || method == http::verb::post || method == http::verb::put) {
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    req.body() = body;
  }
  for (const auto& [name, value] : extra) req.set(name, value);
  req.prepare_payload();
  boost::beast::error_code ec;
  http::write(socket_, req, ec);
  if (ec) return Reply{};
  return read_reply();
}

void Client::write_raw(const std::string& bytes) {
  boost::beast::error_code ec;
  asio::write(socket_, asio::buffer(bytes), ec);
}

Reply Client::read_reply() {
  http::response_parser<http::string_body> parser;
  parser.body_limit(boost::none);
  boost::beast::error_code ec;
  http::read(socket_, buffer_, parser, ec);
  if (ec) return Reply{};
  Reply reply;
  reply.status = parser.get().result_int();
  for (const auto& f : parser.get()) reply.headers.insert(f.name_string(), f.value());
  reply.body = parser.get().body();
  return reply;
}

bool Client::closed_by_server() {
  char byte;
  boost::beast::error_code ec;
  socket_.read_some(asio::buffer(&byte, 1), ec);
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

Reply request(std::uint16_t port, http::verb method, const std::string& target, const std::string& token,
              const std::string& body, const std::string& content_type) {
  Client client(port);
  return client.send(method, target, token, body, content_type);
}

}  // namespace subsidy::api::test
