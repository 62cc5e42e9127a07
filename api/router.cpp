#include "api/router.h"

#include "api/problem_response.h"
#include "api/request_context.h"
#include "api/routes.h"

#include <boost/beast/core/string.hpp>

#include <exception>
#include <iostream>

namespace subsidy::api {

namespace {

// "Bearer <token>" (scheme case-insensitive, RFC 9110 §11.1); "" when absent or another scheme.
std::string_view bearer_of(const Request& request) {
  auto it = request.find(http::field::authorization);
  if (it == request.end()) return "";
  std::string_view value = it->value();
  constexpr std::string_view scheme = "bearer ";
  if (value.size() <= scheme.size() || !boost::beast::iequals(value.substr(0, scheme.size()), scheme)) return "";
  value.remove_prefix(scheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

Response unauthenticated(std::string_view detail) {
  Response r = problem_response(ProblemKind::unauthenticated, detail);
  r.set(http::field::www_authenticate, "Bearer realm=\"subsidy\"");
  return r;
}

}  // namespace

bool match_pattern(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  params.clear();
  while (!pattern.empty() && !path.empty()) {
    if (pattern.front() != '/' || path.front() != '/') return false;
    pattern.remove_prefix(1);
    path.remove_prefix(1);
    auto pattern_end = pattern.find('/');
    auto path_end = path.find('/');
    std::string_view want = pattern.substr(0, pattern_end);
    std::string_view got = path.substr(0, path_end);
    if (want.starts_with('{')) {
      if (got.empty()) return false;
      params.emplace_back(got);
    } else if (want != got) {
      return false;
    }
    pattern.remove_prefix(want.size());
    path.remove_prefix(got.size());
  }
  return pattern.empty() && path.empty();
}

bool route_streams_body(http::verb method, std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  std::vector<std::string> params;
  for (const Route& r : route_table()) {
    if (r.streams_body && r.method == method && match_pattern(r.pattern, path, params)) return true;
  }
  return false;
}

boost::asio::awaitable<Response> route_request(Services& services, const Request& request, std::string& route_name,
                                               BodySource* body) {
  route_name = "unmatched";
  std::string_view target = request.target();
  auto question = target.find('?');
  std::string_view path = target.substr(0, question);

  const Route* route = nullptr;
  std::string allow;
  std::vector<std::string> params;
  for (const Route& r : route_table()) {
    if (!match_pattern(r.pattern, path, params)) continue;
    if (r.method == request.method()) {
      route = &r;
      break;
    }
    if (!allow.empty()) allow += ", ";
    allow += std::string(http::to_string(r.method));
  }
  if (route == nullptr) {
    if (allow.empty()) co_return problem_response(ProblemKind::not_found, "no resource at this path");
    Response r = problem_response(ProblemKind::method_not_allowed, "this path does not take this method");
    r.set(http::field::allow, allow);
    co_return r;
  }
  match_pattern(route->pattern, path, params);
  route_name = std::string(route->pattern);

  RequestContext ctx{request, services, std::move(params),
                     question == std::string_view::npos ? "" : std::string(target.substr(question + 1)), std::nullopt,
                     route->streams_body ? body : nullptr};
  if (route->roles.needs_token()) {
    std::string_view bearer = bearer_of(request);
    if (bearer.empty()) co_return unauthenticated("an Authorization: Bearer token is required");
    ctx.principal = services.authenticator->authenticate(bearer);
    if (!ctx.principal) co_return unauthenticated("the token is unknown or revoked");
    if (!route->roles.allows(ctx.principal->role)) {
      co_return problem_response(ProblemKind::forbidden, "the " + std::string(store::role_name(ctx.principal->role)) +
                                                             " role may not use this endpoint");
    }
  }
  try {
    Response response = co_await route->handler(ctx);
    co_return response;
  } catch (const std::exception& e) {
    std::cerr << "subsidyd: " << route->pattern << ": internal failure: " << e.what() << '\n';
  }
  co_return problem_response(ProblemKind::unavailable, "the server could not complete the request; try again");
}

}  // namespace subsidy::api
