// The registry rules (registry.md §3) through the server's pipeline, with the in-system example
// amendment loaded: each decision sees the registry as the log held it when the decision was
// made, a restart folds the imports back, and a replay after a later import that changed a
// person's certification reproduces every earlier decision exactly.

#include "app/decision_pipeline.h"
#include "app/replay.h"
#include "engine/sha256.h"
#include "pipeline_support.h"
#include "store/log_store.h"
#include "store_fixture.h"
#include "support/wft_claim.h"

#include <doctest/doctest.h>

#include <future>
#include <string>
#include <vector>

namespace {

namespace json = boost::json;
using subsidy::Category;
using subsidy::Certification;
using subsidy::RegisteredPerson;
using subsidy::app::DecisionPipeline;
using subsidy::app::PipelineOutcome;
using subsidy::app::PipelineReply;
using namespace subsidy::pipeline_test;

PipelineReply wait_for(const std::function<bool(DecisionPipeline::Done)>& send) {
  std::promise<PipelineReply> answered;
  auto future = answered.get_future();
  REQUIRE(send([&](PipelineReply r) { answered.set_value(rendered(std::move(r))); }));
  return future.get();
}

PipelineReply submit(DecisionPipeline& p, json::value body) {
  return wait_for([&](DecisionPipeline::Done done) { return p.try_submit_claim(std::move(body), "tok-clerk", std::move(done)); });
}

// An import of these persons, named by `file` (its SHA-256 stands for the file's).
std::uint64_t import(DecisionPipeline& p, const std::string& file, std::vector<RegisteredPerson> persons) {
  subsidy::store::RegistryImportFacts facts{subsidy::sha256_hex(file), subsidy::RegistryFormat::json_lines, persons.size(),
                                            persons.size()};
  PipelineReply r = wait_for([&](DecisionPipeline::Done done) {
    return p.try_import_registry(facts, std::move(persons), "tok-admin", std::move(done));
  });
  REQUIRE(r.outcome == PipelineOutcome::created);
  REQUIRE(r.record);
  return r.record->seq;
}

RegisteredPerson poor(const char* id, const char* name, const char* from, std::optional<const char*> to) {
  Certification c{Category::poor_laborer, "JDLK-" + std::string(id).substr(14), *subsidy::parse_date(from),
                  to ? subsidy::parse_date(*to) : std::nullopt};
  return RegisteredPerson{id, name, {c}};
}

json::value li_si_claim(const std::string& claim_id, const std::vector<std::string>& months) {
  json::value claim = subsidy::testing::wft_claim(claim_id, months);
  claim.as_object()["person"] = json::parse(R"({"id_number": "41120219850315224X", "name": "李四", "categories": ["poor_laborer"]})");
  return claim;
}

const json::object& line(const PipelineReply& r, const std::string& subject) {
  for (const json::value& l : r.body.at("lines").as_array()) {
    if (l.at("subject").as_string() == subject) return l.as_object();
  }
  FAIL("no line " << subject);
  throw std::logic_error("unreachable");
}

json::array refs_of(const PipelineReply& r, const std::string& rule) {
  for (const json::value& reason : r.body.at("reasons").as_array()) {
    if (reason.at("rule").as_string() == rule) return reason.at("refs").as_array();
  }
  return {};
}

}  // namespace

STORE_TEST("registry rules: decisions see the registry as logged / a later import changes no earlier decision on replay") {
  fs::path dir = scratch_dir();
  PipelineSettings s = settings_for(db.url(), dir);
  s.rules.push_back((subsidy::testing::source_dir / "rules/examples/hubin-2020-in-system.ruleset.json").string());
  auto p = start(s);

  // 张三 certified poor until 2020-05-31; 李四 in no import.
  std::uint64_t first = import(*p, "export-2020-06-01", {poor("411202199001011230", "张三", "2019-01-01", "2020-05-31")});
  PipelineReply zhang = submit(*p, subsidy::testing::wft_claim("HB-REG-1", {"2020-05", "2020-06"}));
  REQUIRE(zhang.outcome == PipelineOutcome::created);
  CHECK(zhang.body.at("outcome").as_string() == "needs_review");
  CHECK(line(zhang, "2020-05").at("status").as_string() == "approved");
  CHECK(line(zhang, "2020-06").at("status").as_string() == "needs_review");
  CHECK(refs_of(zhang, "sys.category_verified") == json::array{first});
  PipelineReply li = submit(*p, li_si_claim("HB-REG-2", {"2020-05"}));
  CHECK(li.body.at("outcome").as_string() == "rejected");
  CHECK(refs_of(li, "sys.person_registered") == json::array{first});

  // The next export renews 张三's certification and registers 李四.
  std::uint64_t second = import(*p, "export-2020-07-01", {poor("411202199001011230", "张三", "2019-01-01", std::nullopt),
                                                          poor("41120219850315224X", "李四", "2019-01-01", std::nullopt)});
  CHECK(second > li.body.at("seq").to_number<std::uint64_t>());
  PipelineReply zhang_july = submit(*p, subsidy::testing::wft_claim("HB-REG-3", {"2020-07"}));
  CHECK(zhang_july.body.at("outcome").as_string() == "approved");
  PipelineReply li_again = submit(*p, li_si_claim("HB-REG-4", {"2020-06"}));
  CHECK(li_again.body.at("outcome").as_string() == "approved");
  p->stop();

  // A restart folds both imports back: 李四 stays registered.
  p = start(s);
  PipelineReply li_august = submit(*p, li_si_claim("HB-REG-5", {"2020-08"}));
  CHECK(li_august.body.at("outcome").as_string() == "approved");
  p->stop();

  // The replay decides HB-REG-1 and HB-REG-2 against the first import, not the registry as it ends.
  auto log = subsidy::store::LogStore::open(db.url());
  REQUIRE(log.ok());
  subsidy::app::ReplayReport report = subsidy::app::replay(*log.value());
  for (const auto& f : report.findings) INFO(f.seq << " " << f.field << " " << f.message);
  CHECK(report.clean());
  CHECK(report.decisions == 5);
  fs::remove_all(dir);
}
