#include "bench/ceiling_server.h"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/json/parse.hpp>

#include <optional>
#include <thread>
#include <vector>

namespace subsidy::tools {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto as_result = asio::as_tuple(asio::use_awaitable);

// A decision-shaped answer of 300 bytes (the size of quality.md's reference).
constexpr std::string_view fixed_answer =
    R"({"claim_id":"HB-CEILING-0000000001","program":"work_for_training","kind":"initial",)"
    R"("outcome":"approved","requested_fen":60000,"approved_fen":60000,)"
    R"("disbursements":[{"kind":"payment","amount_fen":60000}],"seq":1,)"
    R"("hash":"0000000000000000000000000000000000000000000000000000000000000000","dry_run":false})";
static_assert(fixed_answer.size() >= 290 && fixed_answer.size() <= 310);

http::response<http::string_body> answer_to(const http::request<http::string_body>& request) {
  boost::system::error_code ec;
  boost::json::value parsed = boost::json::parse(request.body(), ec);
  http::response<http::string_body> response{ec ? http::status::bad_request : http::status::ok, 11};
  response.set(http::field::content_type, "application/json");
  if (!ec) response.body() = fixed_answer;
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

asio::awaitable<void> session(tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  beast::flat_buffer buffer;
  for (;;) {
    http::request<http::string_body> request;
    auto [read_ec, read] = co_await http::async_read(stream, buffer, request, as_result);
    if (read_ec) break;
    auto response = answer_to(request);
    auto [write_ec, written] = co_await http::async_write(stream, response, as_result);
    if (write_ec || !response.keep_alive()) break;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

asio::awaitable<void> listen(asio::io_context& ioc, tcp::acceptor& acceptor) {
  for (;;) {
    auto strand = asio::make_strand(ioc);  // named: see api/server.cpp on GCC 12 and temporaries
    auto [ec, socket] = co_await acceptor.async_accept(strand, as_result);
    if (ec) co_return;
    auto executor = socket.get_executor();
    asio::co_spawn(executor, session(std::move(socket)), asio::detached);
  }
}

}  // namespace

struct CeilingServer::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
};

CeilingServer::CeilingServer(unsigned threads) : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
  asio::co_spawn(impl_->ioc, listen(impl_->ioc, impl_->acceptor), asio::detached);
  for (unsigned i = 0; i < threads; ++i) impl_->threads.emplace_back([m = impl_.get()] { m->ioc.run(); });
}

CeilingServer::~CeilingServer() { stop(); }

std::uint16_t CeilingServer::port() const { return impl_->acceptor.local_endpoint().port(); }

void CeilingServer::stop() {
  if (impl_->threads.empty()) return;
  impl_->ioc.stop();
  for (std::thread& t : impl_->threads) t.join();
  impl_->threads.clear();
}

std::string_view CeilingServer::answer() { return fixed_answer; }

}  // namespace subsidy::tools
