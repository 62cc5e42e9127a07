// The durable decision step and the auditor's replay together: real claims are decided and
// recorded, the log replays clean, and tampering with a recorded amount is caught by the chain
// (hash not recomputed) or by re-evaluation (chain recomputed consistently), naming the seq.

#include "store/decision_recorder.h"

#include "audit/canonical_json.h"
#include "audit/hash_chain.h"
#include "engine/catalogue_parser.h"
#include "engine/ledger.h"
#include "engine/memory_catalogue.h"
#include "engine/sha256.h"
#include "store_fixture.h"
#include "tools/common/files.h"
#include "tools/common/replay.h"

#include <boost/json.hpp>

#include <filesystem>
#include <sstream>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

const std::filesystem::path rules_dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "rules";

// A resident ID number: 17 digits and the GB 11643 check character.
std::string resident_id(const std::string& first17) {
  static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
  return first17 + "10X98765432"[sum % 11];
}

// Person n, born in 1980..1989 in Hubin district.
std::string person_id(int n) {
  char first17[32];
  unsigned u = static_cast<unsigned>(n);
  std::snprintf(first17, sizeof first17, "411202198%01u%02u%02u%03u", u % 10, 1 + u % 12, 1 + u % 28, 100 + u % 900);
  return resident_id(first17);
}

const char* const catalogue_text = R"({
  "institutions": [
    {"credit_code": "52411202MA44D0004E", "name": "湖滨区职业技能培训学校", "kind": "training", "valid_from": "2019-01-01", "valid_to": null}
  ],
  "projects": [
    {"code": "HB-PJ-CARE-01", "name": "养老护理员培训", "occupation": "养老护理员", "program": "project_training", "standard_fen": 150001, "valid_from": "2019-01-01", "valid_to": null}
  ]
})";

MemoryCatalogue test_catalogue() {
  auto parsed = parse_catalogue_file(json::parse(catalogue_text));
  REQUIRE(std::holds_alternative<MemoryCatalogue>(parsed));
  return std::move(std::get<MemoryCatalogue>(parsed));
}

RulesetSet test_rulesets() {
  auto loaded = tools::load_rulesets({rules_dir});
  REQUIRE(std::holds_alternative<RulesetSet>(loaded));
  return std::move(std::get<RulesetSet>(loaded));
}

json::value wft_claim(int person, int round) {
  static const char* const entities[] = {"91411202MA44A0001W", "91411202MA44B0002P"};
  json::array months;
  for (int m = 1; m <= 3; ++m) {
    char month[16];
    std::snprintf(month, sizeof month, "2020-%02d", round * 3 + m);
    months.emplace_back(month);
  }
  return json::value{
      {"claim_id", "HB-W-" + std::to_string(person) + "-" + std::to_string(round)},
      {"program", "work_for_training"},
      {"submitted_on", "2020-10-15"},
      {"entity", {{"credit_code", entities[person % 2]}, {"name", "湖滨区甲食品有限公司"}, {"type", "enterprise"}, {"insured", true}}},
      {"person", {{"id_number", person_id(person)}, {"name", "张三"}, {"categories", json::array{"poor_laborer"}}}},
      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
      {"months", std::move(months)},
      {"evidence", json::array{json::object{{"kind", "roster"}, {"ref", "R-1"}},
                               json::object{{"kind", "labour_contract"}, {"ref", "LC-1"}},
                               json::object{{"kind", "wage_records"}, {"ref", "WG-1"}}}}};
}

json::value project_claim(int n) {
  json::array trainees;
  for (int t = 0; t < 3; ++t) {
    trainees.push_back(json::object{{"id_number", person_id(500 + n * 3 + t)}, {"name", "王五"}, {"categories", json::array{"rural_migrant"}}});
  }
  return json::value{
      {"claim_id", "HB-P-" + std::to_string(n)},
      {"program", "project_training"},
      {"submitted_on", "2020-04-30"},
      {"entity", {{"credit_code", "52411202MA44D0004E"}, {"name", "湖滨区职业技能培训学校"}, {"type", "training_institution"}}},
      {"project", {{"code", "HB-PJ-CARE-01"}, {"start", "2020-05-06"}, {"end", "2020-06-05"}}},
      {"trainees", std::move(trainees)},
      {"evidence", json::array{json::object{{"kind", "class_plan"}, {"ref", "PLAN-1"}}, json::object{{"kind", "roster"}, {"ref", "R-1"}}}}};
}

json::value settlement(int n) {
  json::array results;
  for (int t = 0; t < 3; ++t) results.push_back(json::object{{"id_number", person_id(500 + n * 3 + t)}, {"passed", t != 2}});
  return json::value{{"settled_on", "2020-06-30"},
                     {"results", std::move(results)},
                     {"evidence", json::array{json::object{{"kind", "assessment_results"}, {"ref", "A-1"}},
                                              json::object{{"kind", "attendance"}, {"ref", "ATT-1"}}}}};
}

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
  for (int n = 0; n < 10; ++n) ok(recorder.record_claim(project_claim(n)));
  for (int round = 0; round < 3; ++round) {
    for (int person = 0; person < 90; ++person) {
      std::uint64_t seq = ok(recorder.record_claim(wft_claim(person, round)));
      if (round == 0 && person % 10 == 3) out.approved_wft.push_back(seq);
    }
  }
  for (int n = 0; n < 10; ++n) ok(recorder.record_settlement("HB-P-" + std::to_string(n), settlement(n)));
  return out;
}

std::string record_text(soci::session& sql, long long seq) {
  std::string text;
  sql << "SELECT record FROM log WHERE seq = :seq", soci::into(text), soci::use(seq);
  return text;
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

std::string describe(const tools::ReplayReport& report) {
  return json::serialize(tools::report_to_json(report));
}

}  // namespace

STORE_TEST("recorded decisions replay clean and tampered amounts are named by seq") {
  RulesetSet rulesets = test_rulesets();
  MemoryCatalogue catalogue = test_catalogue();
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

  tools::ReplayOptions options;
  options.catalogue = &catalogue;
  tools::ReplayReport clean = tools::replay(*store, options);
  CHECK_MESSAGE(clean.clean(), describe(clean));
  CHECK(clean.records == 290);
  CHECK(clean.decisions == 290);
  CHECK(clean.last_hash == store->head().value().hash);

  // The same log as a JSON Lines export, with the ruleset texts from files.
  std::stringstream exported;
  for (const auto& row : all) exported << audit::canonical_json(record_with_hash(row).value()).value() << "\n";
  std::map<std::string, std::string> texts;
  for (const auto& rs : rulesets.all()) texts[sha256_hex(rs->text)] = rs->text;
  tools::RulesetTexts lookup = [&](const std::string& sha) -> std::optional<std::string> {
    auto it = texts.find(sha);
    return it == texts.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  tools::ReplayReport from_export = tools::replay_jsonl(exported, store->hash_alg(), lookup, options);
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
    tools::ReplayReport report = tools::replay(*reopened, options);
    REQUIRE_FALSE(report.clean());
    CHECK(report.findings.front().seq == static_cast<std::uint64_t>(target));
    CHECK(report.findings.front().field == "/hash");
  }
  *raw << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(original), soci::use(target);
  {
    auto reopened = db.open();
    CHECK(tools::replay(*reopened, options).clean());
  }

  // The same change with the chain recomputed from there on: every hash verifies, and
  // re-evaluation names the seq and the field.
  *raw << "UPDATE log SET record = :r WHERE seq = :seq", soci::use(tampered), soci::use(target);
  rechain(*raw, store->hash_alg(), target, 290);
  {
    auto reopened = db.open();
    REQUIRE(reopened->verify_chain().ok());
    tools::ReplayReport report = tools::replay(*reopened, options);
    REQUIRE_MESSAGE(report.findings.size() == 1, describe(report));
    CHECK(report.findings[0].seq == static_cast<std::uint64_t>(target));
    CHECK(report.findings[0].field == "/decision/approved_fen");
    CHECK(report.records == 290);
  }
}

STORE_TEST("the recorder refuses a ledger out of step with the log") {
  RulesetSet rulesets = test_rulesets();
  MemoryCatalogue catalogue = test_catalogue();
  auto store = db.open();
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
  {
    Ledger ledger(rulesets, catalogue);
    DecisionRecorder recorder(*store, ledger, rulesets, clock);
    auto seq = recorder.record_claim(wft_claim(1, 0));
    REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    CHECK(seq.value() == 1);
    auto again = recorder.record_claim(wft_claim(1, 0));
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == StoreCode::conflict);
    auto invalid = recorder.record_claim(json::value{{"claim_id", "X"}});
    REQUIRE_FALSE(invalid.ok());
    CHECK(invalid.error().code == StoreCode::invalid_argument);
    auto unknown = recorder.record_settlement("HB-P-404", settlement(0));
    REQUIRE_FALSE(unknown.ok());
    CHECK(unknown.error().code == StoreCode::not_found);
  }
  Ledger fresh(rulesets, catalogue);
  DecisionRecorder recorder(*store, fresh, rulesets, clock);
  auto out_of_step = recorder.record_claim(wft_claim(2, 0));
  REQUIRE_FALSE(out_of_step.ok());
  CHECK(out_of_step.error().code == StoreCode::conflict);
  CHECK(store->head().value().seq == 1);
}
