#pragma once
// The server under test: subsidyd's Server started in-process on 127.0.0.1 with an ephemeral port
// and short timeouts, over a temporary SQLite log holding a few records and two signed heads, the
// repository's rulesets, a fake decision pipeline (fake_pipeline.h) and fixed tokens.
//
// The log: seq 1, 2 decisions (HB-T-1, HB-T-2); head signed at 2; seq 3 a catalogue record;
// seq 4 a decision (HB-T-4); head signed at 4; seq 5 a project_training decision (HB-P-5) of
// another entity (52411202MA44D0004E), not yet under a signed head.

#include "api/authenticator.h"
#include "api/metrics.h"
#include "api/read_connections.h"
#include "api/server.h"
#include "api/services.h"
#include "fake_pipeline.h"
#include "http_client.h"
#include "store_fixture.h"

#include <boost/json/value.hpp>

#include <map>
#include <memory>
#include <string>

namespace subsidy::api::test {

// Bearer tokens of the fixture, one per role; the institution is bound to institution_code.
inline const std::string clerk_token = "sbt_clerk";
inline const std::string institution_token = "sbt_institution";
inline const std::string auditor_token = "sbt_auditor";
inline const std::string admin_token = "sbt_admin";
inline const std::string failing_token = "sbt_throws";  // the authenticator throws for it
inline const std::string institution_code = "91411202MA44A0001W";  // the entity of valid_claim()

class FixedAuthenticator final : public Authenticator {
 public:
  std::optional<Principal> authenticate(std::string_view bearer) override;
};

// Settings for tests: port 0, two threads, timeouts of about a second.
ServerSettings test_settings();

class ApiFixture {
 public:
  explicit ApiFixture(ServerSettings settings = test_settings());
  ~ApiFixture();

  std::uint16_t port() const { return server_->port(); }
  Reply send(http::verb method, const std::string& target, const std::string& token = "",
             const std::string& body = "", const std::string& content_type = "application/json") {
    return request(port(), method, target, token, body, content_type);
  }

  FakePipeline pipeline;
  Metrics metrics;
  std::unique_ptr<store::test::TestDb> db;

 private:
  FixedAuthenticator authenticator_;
  std::unique_ptr<ReadConnections> readers_;
  std::unique_ptr<RulesetSet> rulesets_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<Server> server_;
};

// A valid work_for_training claim (tests/data/claims/valid/wft_minimal.json) as text, for the
// entity institution_code, optionally of another entity.
std::string valid_claim(const std::string& credit_code = institution_code);
// A valid settlement request (tests/data/claims/settlement/valid/two_results.json).
std::string valid_settlement();

// Checks that reply is an RFC 9457 problem whose status equals the HTTP status.
void check_problem(const Reply& reply, unsigned status);

}  // namespace subsidy::api::test
