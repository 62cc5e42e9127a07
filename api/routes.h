#pragma once
// THE routing table (api.md "Endpoints"): method, path pattern, the roles allowed, the handler.
// A pattern is literal segments and "{name}" segments that match one non-empty segment.
// Routes of later increments (review, review queue, reports, registry imports, classes) are
// added here when their handlers exist; until then their paths answer 404.

#include "api/authenticator.h"
#include "api/http_types.h"
#include "api/request_context.h"

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>

namespace subsidy::api {

// A set of roles as bits; no_token marks the public routes (/healthz, /metrics, /openapi.json).
class Roles {
 public:
  constexpr Roles(std::initializer_list<Role> roles) {
    for (Role r : roles) bits_ |= bit(r);
  }
  static constexpr Roles any() { return Roles({Role::clerk, Role::institution, Role::auditor, Role::admin}); }
  static constexpr Roles no_token() {
    Roles r;
    r.public_ = true;
    return r;
  }
  constexpr bool allows(Role r) const { return (bits_ & bit(r)) != 0; }
  constexpr bool needs_token() const { return !public_; }

 private:
  constexpr Roles() = default;
  static constexpr std::uint8_t bit(Role r) { return static_cast<std::uint8_t>(1u << static_cast<unsigned>(r)); }
  std::uint8_t bits_ = 0;
  bool public_ = false;
};

struct Route {
  http::verb method;
  std::string_view pattern;
  Roles roles;
  Handler handler;
  // The handler reads the body itself from RequestContext::body (body_source.h), after the token
  // and role are checked: an upload of a file larger than body_bytes_max.
  bool streams_body = false;
};

std::span<const Route> route_table();

}  // namespace subsidy::api
