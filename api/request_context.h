#pragma once
// One request on its way through a handler: the message, the path parameters the route pattern
// named (in order), the query string, and the caller (when the route needs a token).

#include "api/authenticator.h"
#include "api/body_source.h"
#include "api/http_types.h"
#include "api/services.h"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::api {

struct RequestContext {
  const Request& request;
  Services& services;
  std::vector<std::string> params;  // "{claim_id}", "{seq}", ... in pattern order, as sent
  std::string query;                // after '?', undecoded; "" when none
  std::optional<Principal> principal;
  // A route that streams its body (Route::streams_body): the body, which request does not hold.
  BodySource* body = nullptr;
};

// A handler answers a request; it may suspend (the pipeline) and must not throw for anything a
// client sends (the router turns an exception into a logged 503 all the same).
using Handler = boost::asio::awaitable<Response> (*)(RequestContext&);

}  // namespace subsidy::api
