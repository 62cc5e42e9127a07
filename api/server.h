#pragma once
// subsidyd's HTTP/1.1 server (Boost.Beast on Asio, one coroutine per connection): a listener that
// only accepts, and sessions that read a request, route it (router.h), write the answer, and keep
// the connection for the next request.
//
// Limits (settings.h), each answered the same way every time:
//   body over body_bytes_max       413 and close, the body unread (Content-Length is checked first);
//                                  a route that streams its body (a registry import) has
//                                  import_bytes_max instead, and each piece of it read_timeout_ms
//   headers over header_bytes_max  431 and close
//   malformed HTTP                 400 and close
//   a request not whole within read_timeout_ms of its first byte: the connection is closed
//   no next request within idle_timeout_ms: the connection is closed
//   connections_max connections open: a new one gets 503 + Retry-After + Connection: close (with
//     TLS, closed without an answer: the handshake would cost what the limit protects)
// TLS 1.2 or later when settings name a certificate and key; plain HTTP otherwise.

#include "api/services.h"
#include "api/settings.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace subsidy::api {

class Server {
 public:
  // REQUIRES: every pointer in services is set and outlives the server.
  Server(ServerSettings settings, Services& services);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads TLS files, binds, listens and starts settings.threads threads.
  // false with error set: the address is in use, a TLS file cannot be read, ...
  bool start(std::string& error);
  // The port bound (useful with port 0).
  std::uint16_t port() const { return port_; }

  // Stops accepting, lets the requests in flight finish (up to shutdown_grace_ms), closes every
  // connection and joins the threads. Idempotent.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::uint16_t port_ = 0;
};

}  // namespace subsidy::api
