#pragma once
// A request body read while it arrives, for the one kind of route whose body is a file too large to
// hold (POST /v1/registry/imports: a million rows). The server reads the request's header, routes and
// authorizes it, and only then does the handler pull the body, piece by piece, under the server's
// import_bytes_max (settings.h) instead of body_bytes_max. A body the handler leaves unread closes
// the connection after the answer.

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string_view>

namespace subsidy::api {

enum class BodyRead : std::uint8_t {
  piece,      // bytes holds the next bytes of the body
  end,        // the body has been read whole (bytes is empty)
  too_large,  // the body is longer than the limit: answer 413
  failed,     // the client went away or was too slow: nothing will be answered
};

struct BodyPiece {
  BodyRead read = BodyRead::end;
  std::string_view bytes;  // valid until the next call of next()
};

class BodySource {
 public:
  virtual ~BodySource() = default;
  virtual boost::asio::awaitable<BodyPiece> next() = 0;
  // The limit next() enforces (the 413's detail names it).
  virtual std::uint64_t limit() const = 0;
};

}  // namespace subsidy::api
