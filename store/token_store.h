#pragma once
// API tokens (api.md "Roles"): created by the admin CLI, shown once as a bearer string, stored
// only as the SHA-256 of their secret in the tokens table (RECORD_FORMAT.md, "Tables").
//
//   bearer = "sbt_" <id: 16 lowercase hex> "_" <secret: 43 chars base64url of 32 random bytes>

#include "store/clock.h"
#include "store/status.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

enum class Role { clerk, institution, auditor, admin };
std::string_view role_name(Role role);
std::optional<Role> parse_role(std::string_view name);

struct TokenInfo {
  std::string id;
  Role role = Role::clerk;
  std::string credit_code;  // institution only, else ""
  std::string label;
  std::string created_at;  // RFC 3339 UTC
  std::string revoked_at;  // "" while active
  bool operator==(const TokenInfo&) const = default;
};

struct NewToken {
  TokenInfo info;
  std::string bearer;  // shown once; never stored
};

// One connection: use from one thread at a time.
class TokenStore {
 public:
  // Its own connection, opened like LogStore::open (migrations applied).
  static Result<std::unique_ptr<TokenStore>> open(std::string_view url);
  ~TokenStore();
  TokenStore(const TokenStore&) = delete;
  TokenStore& operator=(const TokenStore&) = delete;

  // Errors: invalid_argument (an institution token without a valid credit code, or another role
  // with one; a label over 200 chars); database_error.
  Result<NewToken> create(Role role, std::string credit_code, std::string label, const Clock& clock);
  // Every token, active or revoked, by created_at then id. Errors: database_error.
  Result<std::vector<TokenInfo>> list();
  // Errors: not_found (an unknown id); database_error. Revoking twice keeps the first time.
  Status revoke(std::string_view id, const Clock& clock);
  // The token's info, or nullopt when bearer is malformed, unknown, wrong or revoked.
  // Errors: database_error.
  Result<std::optional<TokenInfo>> authenticate(std::string_view bearer);

 private:
  explicit TokenStore(std::unique_ptr<soci::session> sql);
  std::unique_ptr<soci::session> sql_;
};

}  // namespace subsidy::store
