#pragma once
// From a request to its answer through the route table: 404 for an unknown path, 405 (with
// Allow) for a known path and another method, 401 (with WWW-Authenticate: Bearer) without a valid
// token, 403 for a role the route does not allow, else the handler's answer. An exception from a
// handler is logged and answered 503: nothing a client sends may produce a 500.

#include "api/body_source.h"
#include "api/http_types.h"
#include "api/services.h"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace subsidy::api {

// Whether path matches pattern ("/v1/claims/{claim_id}/settlement"); fills params in order.
bool match_pattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params);

// Whether the route of method and target (path and query) reads its body itself (Route::streams_body).
bool route_streams_body(http::verb method, std::string_view target);

// route_name is set to the matched pattern, or "unmatched" (metrics label). body: the body of a
// route that streams it, which request then does not hold.
boost::asio::awaitable<Response> route_request(Services& services, const Request& request, std::string& route_name,
                                               BodySource* body = nullptr);

}  // namespace subsidy::api
