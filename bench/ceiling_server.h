#pragma once
// The HTTP ceiling of quality.md: a Beast + Boost.JSON server that reads a request, parses its
// body with boost::json::parse and answers a fixed ~300-byte JSON (200), with no rules and no
// storage; 400 when the body is not JSON. What subsidyd's HTTP layer costs at the least, on the
// same machine, in the same run. Keep-alive, HTTP/1.1, on 127.0.0.1 and a port the system picks.

#include <cstdint>
#include <memory>
#include <string_view>

namespace subsidy::tools {

class CeilingServer {
 public:
  // Listens and starts `threads` threads serving one io_context (as subsidyd's --threads).
  explicit CeilingServer(unsigned threads);
  ~CeilingServer();
  CeilingServer(const CeilingServer&) = delete;
  CeilingServer& operator=(const CeilingServer&) = delete;

  std::uint16_t port() const;
  // Stops serving and joins the threads. Idempotent.
  void stop();

  // The answer's body.
  static std::string_view answer();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace subsidy::tools
