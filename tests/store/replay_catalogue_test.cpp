// Replay applies catalogue and budget records in seq order: a log whose decisions needed the
// catalogue replays clean from an empty starting catalogue, because the log carries it.
#include "audit/canonical_json.h"
#include "claim_generator.h"
#include "engine/claim_parser.h"
#include "engine/decision_json.h"
#include "engine/evaluator.h"
#include "engine/memory_systems.h"
#include "engine/ledger.h"
#include "engine/memory_history.h"
#include "store/catalogue_records.h"
#include "store/decision_record.h"
#include "store_fixture.h"
#include "app/replay.h"

#include <boost/json.hpp>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

constexpr const char* decided_at = "2020-11-01T00:00:00Z";

std::string describe(const app::ReplayReport& report) { return json::serialize(app::report_to_json(report)); }

}  // namespace

STORE_TEST("catalogue and budget records in the log are applied before the decisions that need them") {
  auto store = db.open();
  RulesetSet rulesets = generated_rulesets();
  MemoryCatalogue catalogue = generated_catalogue();

  // The catalogue first, as an admin's PUTs would log it, and a budget.
  std::vector<NewRecord> head = generated_catalogue_records(decided_at);
  auto appended = store->append(head);
  REQUIRE_MESSAGE(appended.ok(), appended.error().message);
  const std::uint64_t first_decision = head.size() + 1;

  // Then decisions, decided against that catalogue and numbered by their log seq.
  RulesetArchive archive(rulesets);
  MemoryHistory history;
  Decision d;
  std::vector<NewRecord> batch;
  const std::uint64_t decisions = 2 * decisions_per_block;
  std::uint64_t project_seq = 0;
  for (std::uint64_t i = 0; i < decisions; ++i) {
    GeneratedStep step = generated_step(i);
    const Seq seq = first_decision + i;
    std::optional<DecidedStep> decided = decide_generated_step(step, seq, history, catalogue, rulesets, d);
    REQUIRE(decided);
    std::string claim_id = decided->claim_id;
    if (!step.follow_up && decided->program == Program::project_training && project_seq == 0) project_seq = seq;
    json::object decision = numbered_decision_json(seq, d);
    REQUIRE(archive.ensure_stored(*store, decision.at("rulesets")).ok());
    batch.push_back(make_decision_record(step.body, claim_id, std::move(decision), decided_at, ""));
  }
  appended = store->append(batch);
  REQUIRE_MESSAGE(appended.ok(), appended.error().message);

  // The decisions depend on the catalogue: the class decided against an empty one differs.
  {
    MemoryCatalogue empty;
    MemoryHistory fresh;
    MemorySystems no_imports;
    auto parsed = parse_claim(generated_project_claim(0));
    REQUIRE(std::holds_alternative<Claim>(parsed));
    Decision without;
    REQUIRE(decide(std::get<Claim>(parsed), fresh, empty, no_imports, rulesets, without).ok());
    std::string a, b;
    decision_to_canonical_json(without, project_seq, a);
    auto logged = json::parse(record_text(*db.raw(), static_cast<long long>(project_seq)));
    b = audit::canonical_json(logged.at("decision")).value();
    CHECK(a != b);
  }

  app::ReplayReport report = app::replay(*store);  // starting from an empty catalogue
  CHECK_MESSAGE(report.clean(), describe(report));
  CHECK(report.records == decisions + head.size());
  CHECK(report.decisions == decisions);

  // Starting from a catalogue given by the caller works the same way (its entries replaced).
  app::ReplayOptions options;
  MemoryCatalogue start = generated_catalogue();
  options.catalogue = &start;
  report = app::replay(*store, options);
  CHECK_MESSAGE(report.clean(), describe(report));
}
