#pragma once
// Who is calling: a bearer token (api.md "Authorization: Bearer <token>") becomes a Principal, or
// nothing when the token is unknown, malformed or revoked. An interface so that the server can be
// tested with fixed principals and run over the store's token table (token_authenticator.h).

#include "store/token_store.h"

#include <optional>
#include <string>
#include <string_view>

namespace subsidy::api {

using store::Role;

struct Principal {
  std::string token_id;
  Role role = Role::clerk;
  std::string credit_code;  // the institution's own; "" for other roles
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // nullopt: no such active token. Throws nothing; a store failure is nullopt too, and logged by
  // the implementation (a request must never be let in because the store is down).
  // Thread-safe: the server calls it from every HTTP thread.
  virtual std::optional<Principal> authenticate(std::string_view bearer) = 0;
};

}  // namespace subsidy::api
