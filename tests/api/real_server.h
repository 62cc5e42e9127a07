#pragma once
// subsidyd's server in-process with the real decision pipeline (DecisionPipeline::start) and the
// real token table (TokenAuthenticator over store::TokenStore) on a temporary log, the
// repository's rulesets (and any amendments named, from the repository root), and a clerk, an
// admin, an auditor and an institution token (the training school 52411202MA44D0004E).

#include "api/metrics.h"
#include "api/read_connections.h"
#include "api/server.h"
#include "api/services.h"
#include "api/token_authenticator.h"
#include "app/decision_pipeline.h"
#include "app/files.h"
#include "store/clock.h"
#include "store/token_store.h"
#include "store_fixture.h"

#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace subsidy::api::test {

class RealServer {
 public:
  static constexpr const char* institution_code = "52411202MA44D0004E";

  explicit RealServer(std::unique_ptr<store::test::TestDb> db = store::test::make_sqlite_db(), ServerSettings s = {},
                      const std::vector<std::string>& amendments = {})
      : db_(std::move(db)) {
    dir_ = std::filesystem::temp_directory_path() / ("subsidy-api-e2e-" + std::to_string(::getpid()) + "-" + std::to_string(++n_));
    std::filesystem::create_directories(dir_);
    app::PipelineSettings ps;
    ps.database_url = db_->url();
    ps.rules = {std::string(SUBSIDY_SOURCE_DIR) + "/rules"};
    for (const std::string& a : amendments) ps.rules.push_back(std::string(SUBSIDY_SOURCE_DIR) + "/" + a);
    ps.key_file = (dir_ / "signing.key").string();
    std::string error;
    pipeline_ = DecisionPipeline::start(ps, error);
    REQUIRE_MESSAGE(pipeline_, error);
    auto tokens = store::TokenStore::open(db_->url());
    REQUIRE(tokens.ok());
    store::SystemClock clock;
    auto clerk = tokens.value()->create(store::Role::clerk, "", "e2e clerk", clock);
    REQUIRE(clerk.ok());
    clerk_ = clerk.value().bearer;
    clerk_id_ = clerk.value().info.id;
    auto admin = tokens.value()->create(store::Role::admin, "", "e2e admin", clock);
    REQUIRE(admin.ok());
    admin_ = admin.value().bearer;
    admin_id_ = admin.value().info.id;
    auto auditor = tokens.value()->create(store::Role::auditor, "", "e2e auditor", clock);
    REQUIRE(auditor.ok());
    auditor_ = auditor.value().bearer;
    auto institution = tokens.value()->create(store::Role::institution, institution_code, "e2e institution", clock);
    REQUIRE(institution.ok());
    institution_ = institution.value().bearer;
    authenticator_ = std::make_unique<TokenAuthenticator>(std::move(tokens).value());
    auto loaded = app::load_rulesets({ps.rules.begin(), ps.rules.end()});
    REQUIRE(std::holds_alternative<RulesetSet>(loaded));
    rulesets_ = std::make_unique<RulesetSet>(std::get<RulesetSet>(std::move(loaded)));
    readers_ = std::make_unique<ReadConnections>(db_->url());
    services_.pipeline = pipeline_.get();
    services_.authenticator = authenticator_.get();
    services_.readers = readers_.get();
    services_.rulesets = rulesets_.get();
    services_.metrics = &metrics_;
    s.port = 0;
    s.threads = 2;
    server_ = std::make_unique<Server>(s, services_);
    REQUIRE_MESSAGE(server_->start(error), error);
  }
  ~RealServer() {
    server_->stop();
    pipeline_->stop();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::uint16_t port() const { return server_->port(); }
  const std::string& clerk() const { return clerk_; }
  const std::string& clerk_id() const { return clerk_id_; }
  const std::string& admin() const { return admin_; }
  const std::string& admin_id() const { return admin_id_; }
  const std::string& auditor() const { return auditor_; }
  const std::string& institution() const { return institution_; }
  const std::string& url() const { return db_->url(); }

 private:
  static inline int n_ = 0;
  std::unique_ptr<store::test::TestDb> db_;
  std::filesystem::path dir_;
  std::unique_ptr<DecisionPipeline> pipeline_;
  std::string clerk_;
  std::string clerk_id_;
  std::string admin_;
  std::string admin_id_;
  std::string auditor_;
  std::string institution_;
  std::unique_ptr<TokenAuthenticator> authenticator_;
  std::unique_ptr<RulesetSet> rulesets_;
  std::unique_ptr<ReadConnections> readers_;
  Metrics metrics_;
  Services services_;
  std::unique_ptr<Server> server_;
};

}  // namespace subsidy::api::test
