// subsidy-admin as a process: tokens create (shown once), list, revoke; a revoked token no longer
// authenticates; bad arguments exit 2.

#include "store/token_store.h"
#include "tool_path.h"
#include "tool_run.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace fs = std::filesystem;

ToolRun admin(const std::string& database, const std::string& args) {
  return run_command(tool_path("subsidy-admin") + " --database " + database + " " + args + " 2>&1");
}

// The value after "token   " in create's output.
std::string bearer_of(const std::string& out) {
  auto at = out.find("token   ");
  REQUIRE(at != std::string::npos);
  return out.substr(at + 8, out.find('\n', at) - at - 8);
}

}  // namespace

TEST_CASE("subsidy-admin tokens: create - list - revoke") {
  fs::path dir = fs::temp_directory_path() / ("subsidy-admin-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::string db = "sqlite://" + (dir / "log.db").string();

  ToolRun clerk = admin(db, "tokens create --role clerk --label desk-3");
  REQUIRE_MESSAGE(clerk.status == 0, clerk.out);
  std::string bearer = bearer_of(clerk.out);
  CHECK(bearer.starts_with("sbt_"));
  ToolRun inst = admin(db, "tokens create --role institution --credit-code 52411202MA44D0004E");
  REQUIRE_MESSAGE(inst.status == 0, inst.out);
  CHECK(inst.out.find("52411202MA44D0004E") != std::string::npos);

  ToolRun list = admin(db, "tokens list");
  REQUIRE(list.status == 0);
  CHECK(list.out.find("desk-3") != std::string::npos);
  CHECK(list.out.find(bearer) == std::string::npos);  // the secret is never shown again

  auto tokens = store::TokenStore::open(db);
  REQUIRE(tokens.ok());
  auto who = tokens.value()->authenticate(bearer);
  REQUIRE(who.ok());
  REQUIRE(who.value().has_value());
  CHECK(who.value()->role == store::Role::clerk);

  ToolRun revoke = admin(db, "tokens revoke " + who.value()->id);
  CHECK(revoke.status == 0);
  auto after = tokens.value()->authenticate(bearer);
  REQUIRE(after.ok());
  CHECK(!after.value().has_value());

  CHECK(admin(db, "tokens revoke 0000000000000000").status == 1);  // unknown id
  CHECK(admin(db, "tokens create --role mayor").status == 2);
  CHECK(admin(db, "tokens create --role institution").status == 1);  // no credit code: refused by the store
  CHECK(admin(db, "tokens").status == 2);
  fs::remove_all(dir);
}

}  // namespace subsidy::api::test
