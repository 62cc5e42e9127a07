#include "store/token_store.h"

#include "engine/identity.h"
#include "engine/sha256.h"
#include "store/connection.h"
#include "store/migrations.h"
#include "store/soci_edge.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <soci/soci.h>

#include <array>

namespace subsidy::store {
namespace {

constexpr std::array<std::string_view, 4> role_names = {"clerk", "institution", "auditor", "admin"};
constexpr std::string_view bearer_prefix = "sbt_";
constexpr std::size_t id_bytes = 8;       // 16 hex characters
constexpr std::size_t secret_bytes = 32;  // 43 base64url characters
constexpr std::size_t id_chars = 2 * id_bytes;
constexpr std::size_t secret_chars = 43;
constexpr std::size_t label_chars_max = 200;

Result<std::string> random_bytes(std::size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    return store_error(StoreCode::database_error, "the random number generator failed");
  }
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// RFC 4648 base64url without padding.
std::string base64url(std::string_view bytes) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += alphabet[(buffer << (6 - bits)) & 63];
  return out;
}

bool all_of(std::string_view text, std::string_view allowed) { return text.find_first_not_of(allowed) == std::string_view::npos; }

// The id and secret of a well-formed bearer string.
std::optional<std::pair<std::string, std::string>> split_bearer(std::string_view bearer) {
  if (bearer.size() != bearer_prefix.size() + id_chars + 1 + secret_chars) return std::nullopt;
  if (!bearer.starts_with(bearer_prefix) || bearer[bearer_prefix.size() + id_chars] != '_') return std::nullopt;
  std::string_view id = bearer.substr(bearer_prefix.size(), id_chars);
  std::string_view secret = bearer.substr(bearer_prefix.size() + id_chars + 1);
  if (!all_of(id, "0123456789abcdef")) return std::nullopt;
  if (!all_of(secret, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")) return std::nullopt;
  return std::make_pair(std::string(id), std::string(secret));
}

struct TokenRow {
  std::string id, role, credit_code, label, secret_sha256, created_at, revoked_at;
};

Result<TokenInfo> info_of(const TokenRow& r) {
  std::optional<Role> role = parse_role(r.role);
  if (!role) return store_error(StoreCode::corruption, "tokens: token " + r.id + " has an unknown role " + r.role);
  return TokenInfo{r.id, *role, r.credit_code, r.label, r.created_at, r.revoked_at};
}

}  // namespace

std::string_view role_name(Role role) { return role_names[static_cast<std::size_t>(role)]; }

std::optional<Role> parse_role(std::string_view name) {
  for (std::size_t i = 0; i < role_names.size(); ++i) {
    if (role_names[i] == name) return static_cast<Role>(i);
  }
  return std::nullopt;
}

TokenStore::TokenStore(std::unique_ptr<soci::session> sql) : sql_(std::move(sql)) {}
TokenStore::~TokenStore() = default;

Result<std::unique_ptr<TokenStore>> TokenStore::open(std::string_view url) {
  Result<ConnectionSetting> setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  Result<std::unique_ptr<soci::session>> sql = open_session(setting.value());
  if (!sql.ok()) return sql.error();
  if (Status s = apply_migrations(*sql.value(), setting.value().backend); !s.ok()) return s.error();
  return std::unique_ptr<TokenStore>(new TokenStore(std::move(sql.value())));
}

Result<NewToken> TokenStore::create(Role role, std::string credit_code, std::string label, const Clock& clock) {
  if (role == Role::institution && credit_code_problem(credit_code)) {
    return store_error(StoreCode::invalid_argument, "an institution token needs a valid credit code");
  }
  if (role != Role::institution && !credit_code.empty()) {
    return store_error(StoreCode::invalid_argument, "only an institution token is bound to a credit code");
  }
  if (label.size() > label_chars_max) return store_error(StoreCode::invalid_argument, "a label has at most 200 characters");
  Result<std::string> id = random_bytes(id_bytes);
  Result<std::string> secret = random_bytes(secret_bytes);
  if (!id.ok()) return id.error();
  if (!secret.ok()) return secret.error();
  NewToken out;
  out.info = TokenInfo{hex(id.value()), role, std::move(credit_code), std::move(label), rfc3339_now(clock), ""};
  std::string secret_text = base64url(secret.value());
  out.bearer = std::string(bearer_prefix) + out.info.id + "_" + secret_text;
  std::string digest = sha256_hex(secret_text);
  std::string role_text(role_name(role));
  std::string revoked;
  Status stored = guarded("creating a token", [&]() -> Status {
    *sql_ << "INSERT INTO tokens (id, role, credit_code, label, secret_sha256, created_at, revoked_at) "
             "VALUES (:id, :role, :credit_code, :label, :secret_sha256, :created_at, :revoked_at)",
        soci::use(out.info.id), soci::use(role_text), soci::use(out.info.credit_code), soci::use(out.info.label),
        soci::use(digest), soci::use(out.info.created_at), soci::use(revoked);
    return {};
  });
  if (!stored.ok()) return stored.error();
  return out;
}

Result<std::vector<TokenInfo>> TokenStore::list() {
  return guarded("listing tokens", [&]() -> Result<std::vector<TokenInfo>> {
    TokenRow r;
    soci::statement st = (sql_->prepare << "SELECT id, role, credit_code, label, created_at, revoked_at FROM tokens "
                                           "ORDER BY created_at, id",
                          soci::into(r.id), soci::into(r.role), soci::into(r.credit_code), soci::into(r.label),
                          soci::into(r.created_at), soci::into(r.revoked_at));
    std::vector<TokenInfo> out;
    st.execute();
    while (st.fetch()) {
      Result<TokenInfo> info = info_of(r);
      if (!info.ok()) return info.error();
      out.push_back(std::move(info.value()));
    }
    return out;
  });
}

Status TokenStore::revoke(std::string_view id, const Clock& clock) {
  std::string key(id);
  std::string now = rfc3339_now(clock);
  return guarded("revoking a token", [&]() -> Status {
    std::string revoked_at;
    *sql_ << "SELECT revoked_at FROM tokens WHERE id = :id", soci::into(revoked_at), soci::use(key);
    if (!sql_->got_data()) return store_error(StoreCode::not_found, "no token " + key);
    if (!revoked_at.empty()) return {};  // revoked before: keep the first time
    *sql_ << "UPDATE tokens SET revoked_at = :now WHERE id = :id", soci::use(now), soci::use(key);
    return {};
  });
}

Result<std::optional<TokenInfo>> TokenStore::authenticate(std::string_view bearer) {
  std::optional<std::pair<std::string, std::string>> parts = split_bearer(bearer);
  if (!parts) return std::optional<TokenInfo>();
  return guarded("authenticating a token", [&]() -> Result<std::optional<TokenInfo>> {
    TokenRow r;
    *sql_ << "SELECT id, role, credit_code, label, secret_sha256, created_at, revoked_at FROM tokens WHERE id = :id",
        soci::into(r.id), soci::into(r.role), soci::into(r.credit_code), soci::into(r.label),
        soci::into(r.secret_sha256), soci::into(r.created_at), soci::into(r.revoked_at), soci::use(parts->first);
    if (!sql_->got_data()) return std::optional<TokenInfo>();
    std::string digest = sha256_hex(parts->second);
    // Constant time: the comparison must not tell how much of a guessed secret was right.
    bool same = digest.size() == r.secret_sha256.size() &&
                CRYPTO_memcmp(digest.data(), r.secret_sha256.data(), digest.size()) == 0;
    if (!same || !r.revoked_at.empty()) return std::optional<TokenInfo>();
    Result<TokenInfo> info = info_of(r);
    if (!info.ok()) return info.error();
    return std::optional<TokenInfo>(std::move(info.value()));
  });
}

}  // namespace subsidy::store
