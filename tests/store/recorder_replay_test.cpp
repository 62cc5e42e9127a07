// The durable decision step and the auditor's replay together: real claims are decided and
// recorded, the log replays clean, and tampering with a recorded amount is caught by the chain
// (hash not recomputed) or by re-evaluation (chain recomputed consistently), naming the seq.

#include "store/decision_recorder.h"

#include "audit/canonical_json.h"
#include "audit/hash_chain.h"
#include "claim_generator.h"
#include "engine/ledger.h"
#include "engine/memory_catalogue.h"
#include "engine/sha256.h"
#include "store_fixture.h"
#include "app/replay.h"

#include <boost/json.hpp>

#include <sstream>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

struct Recorded {
  std::uint64_t records = 0;
  std::uint64_t rejected_lines = 0;
  std::vector<std::uint64_t> approved_wft;  // seqs of approved work_for_training decisions
};

// About 300 decisions: 90 people with three claims of three months each (the third goes past the
// six-month cap), ten project classes and their settlements.
Recorded record_log(LogStore& store, const RulesetSet& rulesets, const CatalogueView& catalogue) {
  Ledger ledger(rulesets, catalogue);
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
  DecisionRecorder recorder(store, ledger, rulesets, clock);
  Recorded out;
  auto ok = [&](const Result<std::uint64_t>& seq) {
    REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    CHECK(seq.value() == ++out.records);
    return seq.value();
  };
  for (int n = 0; n < 10; ++n) ok(recorder.record_claim(generated_project_claim(n)));
  for (int round = 0; round < 3; ++round) {
    for (int person = 0; person < 90; ++person) {
      std::uint64_t seq = ok(recorder.record_claim(generated_wft_claim(person, round)));
      if (round == 0 && person % 10 == 3) out.approved_wft.push_back(seq);
    }
  }
  for (int n = 0; n < 10; ++n) ok(recorder.record_follow_up(FollowUpKind::settlement, "HB-P-" + std::to_string(n), generated_settlement(n)));
  return out;
}

// The record's decision with its approved amount raised by one yuan, as canonical text.
std::string with_raised_amount(const std::string& text) {
  json::object record = json::parse(text).as_object();
  json::object& decision = record.at("decision").as_object();
  decision["approved_fen"] = decision.at("approved_fen").to_number<std::int64_t>() + 100;
  auto canonical = audit::canonical_json(record);
  REQUIRE(canonical.ok());
  return canonical.value();
}

// Rewrites records from_seq..last with fresh prev_hash and hash, as a forger would.
void rechain(soci::session& sql, audit::HashAlg alg, long long from_seq, long long last) {
  std::string prev_hex;
  long long before = from_seq - 1;
  sql << "SELECT hash FROM log WHERE seq = :seq", soci::into(prev_hex), soci::use(before);
  audit::Digest prev = *audit::digest_from_hex(prev_hex);
  for (long long seq = from_seq; seq <= last; ++seq) {
    json::object record = json::parse(record_text(sql, seq)).as_object();
    std::string prev_text = audit::to_hex(prev);
    record["prev_hash"] = prev_text;
    auto canonical = audit::record_canonical_bytes(record);
    REQUIRE(canonical.ok());
    prev = audit::chain_hash(alg, prev, canonical.value());
    std::string hash = audit::to_hex(prev);
    sql << "UPDATE log SET record = :r, prev_hash = :p, hash = :h WHERE seq = :seq", soci::use(canonical.value()),
        soci::use(prev_text), soci::use(hash), soci::use(seq);
  }
}

std::string describe(const app::ReplayReport& report) {
  return json::serialize(app::report_to_json(report));
}

}  // namespace

STORE_TEST("recorded decisions replay clean and tampered amounts are named by seq") {
  RulesetSet rulesets = generated_rulesets();
  MemoryCatalogue catalogue = generated_catalogue();
  auto store = db.open();
  Recorded recorded = record_log(*store, rulesets, catalogue);
  REQUIRE(recorded.records == 290);
  REQUIRE(recorded.approved_wft.size() == 9);

  // The log has approvals, cap rejections and settlements.
  auto all = store->read(1, 1000).value();
  int rejected = 0, settlements = 0;
  for (const auto& row : all) {
    json::object r = json::parse(row.canonical).as_object();
    const json::object& d = r.at("decision").as_object();
    if (d.at("outcome").as_string() != "approved") ++rejected;
    if (d.at("kind").as_string() == "settlement") ++settlements;
  }
  CHECK(rejected >= 90);
  CHECK(settlements == 10);

  app::ReplayOptions options;
  options.catalogue = &catalogue;
  app::ReplayReport clean = app::replay(*store, options);
  CHECK_MESSAGE(clean.clean(), describe(clean));
  CHECK(clean.records == 290);
  CHECK(clean.decisions == 290);
  CHECK(clean.last_hash == store->head().value().hash);

  // The same log as a JSON Lines export, with the ruleset texts from files.
  std::stringstream exported;
  for (const auto& row : all) exported << audit::canonical_json(record_with_hash(row).value()).value() << "\n";
  std::map<std::string, std::string> texts;
  for (const auto& rs : rulesets.all()) texts[sha256_hex(rs->text)] = rs->text;
  app::RulesetTexts lookup = [&](const std::string& sha) -> std::optional<std::string> {
    auto it = texts.find(sha);
    return it == texts.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  app::ReplayReport from_export = app::replay_jsonl(exported, store->hash_alg(), lookup, options);
  CHECK_MESSAGE(from_export.clean(), describe(from_export));
  CHECK(from_export.records == 290);

  auto raw = db.raw();
  long long target = static_cast<long long>(recorded.approved_wft[4]);
  std::string original = record_text(*raw, target);

  // An amount changed in place, no hash recomputed: the chain breaks at that seq.
  std::string tampered = with_raised_amount(original);
  *raw << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(tampered), soci::use(target);
  {
    auto reopened = db.open();
    app::ReplayReport report = app::replay(*reopened, options);
    REQUIRE_FALSE(report.clean());
    CHECK(report.findings.front().seq == static_cast<std::uint64_t>(target));
    CHECK(report.findings.front().field == "/hash");
  }
  *raw << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(original), soci::use(target);
  {
    auto reopened = db.open();
    CHECK(app::replay(*reopened, options).clean());
  }

  // The same change with the chain recomputed from there on: every hash verifies, and
  // re-evaluation names the seq and the field.
  *raw << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(tampered), soci::use(target);
  rechain(*raw, store->hash_alg(), target, 290);
  {
    auto reopened = db.open();
    REQUIRE(reopened->verify_chain().ok());
    app::ReplayReport report = app::replay(*reopened, options);
    REQUIRE_MESSAGE(report.findings.size() == 1, describe(report));
    CHECK(report.findings[0].seq == static_cast<std::uint64_t>(target));
    CHECK(report.findings[0].field == "/decision/approved_fen");
    CHECK(report.records == 290);
  }
}

STORE_TEST("the recorder refuses a ledger out of step with the log") {
  RulesetSet rulesets = generated_rulesets();
  MemoryCatalogue catalogue = generated_catalogue();
  auto store = db.open();
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
  {
    Ledger ledger(rulesets, catalogue);
    DecisionRecorder recorder(*store, ledger, rulesets, clock);
    auto seq = recorder.record_claim(generated_wft_claim(1, 0));
    REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    CHECK(seq.value() == 1);
    auto again = recorder.record_claim(generated_wft_claim(1, 0));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == StoreCode::conflict);
    auto invalid = recorder.record_claim(json::value{{"claim_id", "X"}});
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error().code == StoreCode::invalid_argument);
    auto unknown = recorder.record_follow_up(FollowUpKind::settlement, "HB-P-404", generated_settlement(0));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == StoreCode::not_found);
  }
  Ledger fresh(rulesets, catalogue);
  DecisionRecorder recorder(*store, fresh, rulesets, clock);
  auto out_of_step = recorder.record_claim(generated_wft_claim(2, 0));
  REQUIRE_FALSE(out_of_step.ok());
  CHECK(out_of_step.error().code == StoreCode::conflict);
  CHECK(store->head().value().seq == 1);
}
