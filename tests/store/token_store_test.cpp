// API tokens: created per role, shown once, stored as a hash, authenticated and revoked.

#include "store/token_store.h"

#include "store_fixture.h"

#include <chrono>
#include <set>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

FixedClock at(int hour) { return FixedClock(std::chrono::sys_days(std::chrono::year(2024) / 5 / 1) + std::chrono::hours(hour)); }

std::unique_ptr<TokenStore> open_tokens(TestDb& db) {
  auto opened = TokenStore::open(db.url());
  REQUIRE_MESSAGE(opened.ok(), opened.error().message);
  return std::move(opened.value());
}

NewToken created(TokenStore& tokens, Role role, std::string credit_code, std::string label, int hour) {
  auto made = tokens.create(role, std::move(credit_code), std::move(label), at(hour));
  REQUIRE_MESSAGE(made.ok(), made.error().message);
  return std::move(made.value());
}

std::optional<TokenInfo> authenticated(TokenStore& tokens, std::string_view bearer) {
  auto result = tokens.authenticate(bearer);
  REQUIRE(result.ok());
  return result.value();
}

}  // namespace

TEST_CASE("roles have their api.md names") {
  for (Role r : {Role::clerk, Role::institution, Role::auditor, Role::admin}) CHECK(parse_role(role_name(r)) == r);
  CHECK(role_name(Role::institution) == "institution");
  CHECK_FALSE(parse_role("root").has_value());
}

STORE_TEST("tokens of every role authenticate with their bearer and nothing else") {
  auto tokens = open_tokens(db);
  NewToken clerk = created(*tokens, Role::clerk, "", "窗口 1", 1);
  NewToken school = created(*tokens, Role::institution, "52411202MA44D0004E", "湖滨区职业技能培训学校", 2);
  NewToken auditor = created(*tokens, Role::auditor, "", "审计", 3);
  NewToken admin = created(*tokens, Role::admin, "", "管理员", 4);

  std::set<std::string> ids;
  for (const NewToken* t : {&clerk, &school, &auditor, &admin}) {
    ids.insert(t->info.id);
    CHECK(t->info.id.size() == 16);
    CHECK(t->bearer.size() == 4 + 16 + 1 + 43);
    CHECK(t->bearer.starts_with("sbt_" + t->info.id + "_"));
    CHECK(t->info.revoked_at.empty());
    std::optional<TokenInfo> who = authenticated(*tokens, t->bearer);
    REQUIRE(who.has_value());
    CHECK(*who == t->info);
  }
  CHECK(ids.size() == 4);
  CHECK(school.info.credit_code == "52411202MA44D0004E");
  CHECK(school.info.created_at == "2024-05-01T02:00:00Z");

  // Wrong secret (one character changed), unknown id, malformed bearers.
  std::string wrong = clerk.bearer;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  CHECK_FALSE(authenticated(*tokens, wrong).has_value());
  std::string unknown = clerk.bearer;
  unknown[4] = unknown[4] == '0' ? '1' : '0';
  CHECK_FALSE(authenticated(*tokens, unknown).has_value());
  for (std::string_view bad : {std::string_view(""), std::string_view("sbt_"), std::string_view(clerk.bearer).substr(1),
                               std::string_view("Bearer x")}) {
    CHECK_FALSE(authenticated(*tokens, bad).has_value());
  }
  std::string upper = clerk.bearer;
  upper.replace(0, 3, "SBT");
  CHECK_FALSE(authenticated(*tokens, upper).has_value());

  // The table keeps a hash of the secret, never the secret or the bearer.
  auto raw = db.raw();
  std::string secret = clerk.bearer.substr(4 + 16 + 1);
  std::string stored_hash, label;
  *raw << "SELECT secret_sha256, label FROM tokens WHERE id = :id", soci::into(stored_hash), soci::into(label),
      soci::use(clerk.info.id);
  CHECK(stored_hash.size() == 64);
  CHECK(label == "窗口 1");
  long long leaks = 0;
  *raw << "SELECT COUNT(*) FROM tokens WHERE secret_sha256 = :s OR label = :s OR id = :s OR secret_sha256 = :b",
      soci::into(leaks), soci::use(secret, "s"), soci::use(clerk.bearer, "b");
  CHECK(leaks == 0);

  auto listed = tokens->list();
  REQUIRE(listed.ok());
  REQUIRE(listed.value().size() == 4);
  CHECK(listed.value()[0] == clerk.info);
  CHECK(listed.value()[3] == admin.info);
}

STORE_TEST("a revoked token no longer authenticates and unknown ids are not_found") {
  auto tokens = open_tokens(db);
  NewToken clerk = created(*tokens, Role::clerk, "", "", 1);
  NewToken other = created(*tokens, Role::clerk, "", "", 1);
  REQUIRE(tokens->revoke(clerk.info.id, at(5)).ok());
  CHECK_FALSE(authenticated(*tokens, clerk.bearer).has_value());
  CHECK(authenticated(*tokens, other.bearer).has_value());
  REQUIRE(tokens->revoke(clerk.info.id, at(6)).ok());  // again: the first time stays
  auto listed = tokens->list();
  REQUIRE(listed.ok());
  auto it = std::find_if(listed.value().begin(), listed.value().end(), [&](const TokenInfo& t) { return t.id == clerk.info.id; });
  REQUIRE(it != listed.value().end());
  CHECK(it->revoked_at == "2024-05-01T05:00:00Z");
  Status unknown = tokens->revoke("0000000000000000", at(7));
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == StoreCode::not_found);
}

STORE_TEST("an institution token needs a valid credit code and only it has one") {
  auto tokens = open_tokens(db);
  for (const char* bad : {"", "52411202MA44D0004A", "not a code"}) {
    auto made = tokens->create(Role::institution, bad, "", at(1));
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == StoreCode::invalid_argument);
  }
  auto clerk = tokens->create(Role::clerk, "52411202MA44D0004E", "", at(1));
  REQUIRE_FALSE(clerk.ok());
  CHECK(clerk.error().code == StoreCode::invalid_argument);
  CHECK(tokens->create(Role::admin, "", std::string(201, 'x'), at(1)).error().code == StoreCode::invalid_argument);
  CHECK(tokens->list().value().empty());
}
