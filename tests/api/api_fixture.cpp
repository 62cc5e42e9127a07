#include "api_fixture.h"

#include "audit/signing.h"
#include "store/clock.h"
#include "store/heads.h"
#include "app/files.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <filesystem>

namespace subsidy::api::test {

namespace json = boost::json;

std::optional<Principal> FixedAuthenticator::authenticate(std::string_view bearer) {
  if (bearer == clerk_token) return Principal{"tok-clerk", Role::clerk, ""};
  if (bearer == institution_token) return Principal{"tok-institution", Role::institution, institution_code};
  if (bearer == auditor_token) return Principal{"tok-auditor", Role::auditor, ""};
  if (bearer == admin_token) return Principal{"tok-admin", Role::admin, ""};
  if (bearer == failing_token) throw std::runtime_error("token store unreachable (test)");
  return std::nullopt;
}

ServerSettings test_settings() {
  ServerSettings s;
  s.port = 0;
  s.threads = 2;
  s.read_timeout_ms = 1'500;
  s.idle_timeout_ms = 3'000;
  s.shutdown_grace_ms = 2'000;
  s.connections_max = 64;
  return s;
}

namespace {

// The log described in api_fixture.h.
void fill_log(const std::string& url) {
  auto log = store::LogStore::open(url);
  REQUIRE(log.ok());
  std::string sha = store::test::put_test_ruleset(*log.value());
  auto heads = store::Heads::open(url);
  REQUIRE(heads.ok());
  auto key = audit::SigningKey::generate(audit::SigAlg::ed25519);
  REQUIRE(key.ok());
  store::FixedClock clock(std::chrono::sys_days(std::chrono::year(2024) / 5 / 1));
  std::vector<store::NewRecord> first = {store::test::wft_decision(1, sha), store::test::wft_decision(2, sha)};
  REQUIRE(log.value()->append(first).ok());
  REQUIRE(heads.value()->sign(key.value(), clock).ok());
  std::vector<store::NewRecord> second = {store::test::catalogue_record(3), store::test::wft_decision(4, sha)};
  REQUIRE(log.value()->append(second).ok());
  store::FixedClock later(clock.now() + std::chrono::hours(1));
  REQUIRE(heads.value()->sign(key.value(), later).ok());
  std::vector<store::NewRecord> third = {store::test::project_decision(5, sha)};
  REQUIRE(log.value()->append(third).ok());
}

std::string repo_text(const std::string& relative) {
  std::string error;
  auto text = app::read_file(std::filesystem::path(SUBSIDY_SOURCE_DIR) / relative, error);
  REQUIRE_MESSAGE(text, error);
  return *text;
}

}  // namespace

ApiFixture::ApiFixture(ServerSettings settings) : db(store::test::make_sqlite_db()) {
  fill_log(db->url());
  readers_ = std::make_unique<ReadConnections>(db->url());
  auto loaded = app::load_rulesets({std::filesystem::path(SUBSIDY_SOURCE_DIR) / "rules"});
  REQUIRE(std::holds_alternative<RulesetSet>(loaded));
  rulesets_ = std::make_unique<RulesetSet>(std::get<RulesetSet>(std::move(loaded)));
  services_ = std::make_unique<Services>();
  services_->pipeline = &pipeline;
  services_->authenticator = &authenticator_;
  services_->readers = readers_.get();
  services_->rulesets = rulesets_.get();
  services_->metrics = &metrics;
  services_->openapi_json = repo_text("schemas/openapi.json");
  server_ = std::make_unique<Server>(settings, *services_);
  std::string error;
  REQUIRE_MESSAGE(server_->start(error), error);
}

ApiFixture::~ApiFixture() {
  server_->stop();
  pipeline.stop();
}

std::string valid_claim(const std::string& credit_code) {
  json::value doc = json::parse(repo_text("tests/data/claims/valid/wft_minimal.json")).at("document");
  doc.at("entity").at("credit_code") = credit_code;
  return json::serialize(doc);
}

std::string valid_settlement() {
  return json::serialize(json::parse(repo_text("tests/data/claims/settlement/valid/two_results.json")).at("document"));
}

void check_problem(const Reply& reply, unsigned status) {
  REQUIRE(reply.status == status);
  CHECK(reply.header(http::field::content_type) == "application/problem+json");
  json::value body = reply.json();
  REQUIRE(body.is_object());
  CHECK(body.at("status").to_number<unsigned>() == status);
  CHECK(body.at("type").as_string().starts_with("urn:subsidy:problem:"));
  CHECK(!body.at("title").as_string().empty());
  CHECK(body.at("detail").is_string());
  CHECK(body.at("errors").is_array());
}

}  // namespace subsidy::api::test
