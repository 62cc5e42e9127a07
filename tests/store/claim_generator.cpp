#include "claim_generator.h"

#include "store/catalogue_records.h"

#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/evaluator.h"
#include "engine/memory_systems.h"
#include "app/files.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <filesystem>
#include <variant>

namespace subsidy::store::test {
namespace {

namespace json = boost::json;

const std::filesystem::path rules_dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "rules";

const char* const catalogue_text = R"({
  "institutions": [
    {"credit_code": "52411202MA44D0004E", "name": "湖滨区职业技能培训学校", "kind": "training", "valid_from": "2019-01-01", "valid_to": null}
  ],
  "projects": [
    {"code": "HB-PJ-CARE-01", "name": "养老护理员培训", "occupation": "养老护理员", "program": "project_training", "standard_fen": 150001, "valid_from": "2019-01-01", "valid_to": null},
    {"code": "HB-PJ-WELD-01", "name": "焊工岗前技能培训", "occupation": "焊工", "program": "pre_job_training", "standard_fen": 80000, "valid_from": "2019-01-01", "valid_to": null}
  ]
})";

const char* const entities[] = {"91411202MA44A0001W", "91411202MA44B0002P"};

json::object entity(int person) {
  return json::object{{"credit_code", entities[person % 2]}, {"name", "湖滨区甲食品有限公司"}, {"type", "enterprise"}, {"insured", true}};
}

}  // namespace

std::string generated_person_id(int n) {
  static constexpr int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  unsigned u = static_cast<unsigned>(n);
  char first17[40];
  // Born 1970..1989, any month, days 1..28; the order code makes the rest unique.
  std::snprintf(first17, sizeof first17, "411202%04u%02u%02u%03u", 1970 + u % 20, 1 + (u / 20) % 12,
                1 + (u / 240) % 28, (u / 6720) % 1000);
  int sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
  return std::string(first17, 17) + "10X98765432"[sum % 11];
}

MemoryCatalogue generated_catalogue() {
  auto parsed = parse_catalogue_file(json::parse(catalogue_text));
  REQUIRE(std::holds_alternative<MemoryCatalogue>(parsed));
  return std::move(std::get<MemoryCatalogue>(parsed));
}

std::vector<NewRecord> generated_catalogue_records(const std::string& decided_at) {
  MemoryCatalogue catalogue = generated_catalogue();
  std::vector<NewRecord> records;
  for (const InstitutionEntry& e : catalogue.institutions()) records.push_back(institution_record(e, "", decided_at));
  for (const ProjectEntry& e : catalogue.projects()) records.push_back(project_record(e, "", decided_at));
  records.push_back(budget_record(Program::work_for_training, 2020, Fen(500'000'000), "", decided_at));
  return records;
}

RulesetSet generated_rulesets() {
  auto loaded = app::load_rulesets({rules_dir});
  REQUIRE(std::holds_alternative<RulesetSet>(loaded));
  return std::move(std::get<RulesetSet>(loaded));
}

namespace {
// The tenth person of a block claims rounds 1 and 2 under another name: held (fraud.identity_mismatch).
constexpr int held_person_in_block = 9;
const char* wft_name(int person, int round) { return person % 10 == held_person_in_block && round > 0 ? "张叁" : "张三"; }
}  // namespace

json::value generated_wft_claim(int person, int round) {
  json::array months;
  for (int m = 1; m <= 3; ++m) {
    char month[32];
    std::snprintf(month, sizeof month, "2020-%02d", round * 3 + m);
    months.emplace_back(month);
  }
  return json::value{
      {"claim_id", "HB-W-" + std::to_string(person) + "-" + std::to_string(round)},
      {"program", "work_for_training"},
      {"submitted_on", "2020-10-15"},
      {"entity", entity(person)},
      {"person", {{"id_number", generated_person_id(person)}, {"name", wft_name(person, round)}, {"categories", json::array{"poor_laborer"}}}},
      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
      {"months", std::move(months)},
      {"evidence", json::array{json::object{{"kind", "roster"}, {"ref", "R-1"}},
                               json::object{{"kind", "labour_contract"}, {"ref", "LC-1"}},
                               json::object{{"kind", "wage_records"}, {"ref", "WG-1"}}}}};
}

json::value generated_prejob_claim(int person) {
  return json::value{
      {"claim_id", "HB-J-" + std::to_string(person)},
      {"program", "pre_job_training"},
      {"submitted_on", "2020-10-20"},
      {"entity", entity(person)},
      {"person", {{"id_number", generated_person_id(person)}, {"name", "张三"}, {"categories", json::array{"rural_migrant"}}}},
      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
      {"project", {{"code", "HB-PJ-WELD-01"}}},
      {"training", {{"start", "2019-10-10"}, {"end", "2019-10-25"}}},
      {"evidence", json::array{json::object{{"kind", "roster"}, {"ref", "R-1"}},
                               json::object{{"kind", "labour_contract"}, {"ref", "LC-1"}},
                               json::object{{"kind", "training_record"}, {"ref", "TR-1"}}}}};
}

namespace {
int trainee(int block, int t) { return 3'000'000 + block * 3 + t; }
}  // namespace

json::value generated_project_claim(int block) {
  json::array trainees;
  for (int t = 0; t < 3; ++t) {
    trainees.push_back(json::object{{"id_number", generated_person_id(trainee(block, t))}, {"name", "王五"}, {"categories", json::array{"rural_migrant"}}});
  }
  return json::value{
      {"claim_id", "HB-P-" + std::to_string(block)},
      {"program", "project_training"},
      {"submitted_on", "2020-04-30"},
      {"entity", {{"credit_code", "52411202MA44D0004E"}, {"name", "湖滨区职业技能培训学校"}, {"type", "training_institution"}}},
      {"project", {{"code", "HB-PJ-CARE-01"}, {"start", "2020-05-06"}, {"end", "2020-06-05"}}},
      {"trainees", std::move(trainees)},
      {"evidence", json::array{json::object{{"kind", "class_plan"}, {"ref", "PLAN-1"}}, json::object{{"kind", "roster"}, {"ref", "R-1"}}}}};
}

json::value generated_settlement(int block) {
  json::array results;
  for (int t = 0; t < 3; ++t) results.push_back(json::object{{"id_number", generated_person_id(trainee(block, t))}, {"passed", t != 2}});
  return json::value{{"settled_on", "2020-06-30"},
                     {"results", std::move(results)},
                     {"evidence", json::array{json::object{{"kind", "assessment_results"}, {"ref", "A-1"}},
                                              json::object{{"kind", "attendance"}, {"ref", "ATT-1"}}}}};
}

json::value generated_review() {
  return json::value{{"lines", json::array{json::object{{"subject", "2020-04"}, {"resolution", "approve"}},
                                           json::object{{"subject", "2020-05"}, {"resolution", "approve"}},
                                           json::object{{"subject", "2020-06"}, {"resolution", "reject"}}}},
                     {"note", "checked against the ID card"}};
}

GeneratedStep generated_step(std::uint64_t i) {
  int block = static_cast<int>(i / decisions_per_block);
  int at = static_cast<int>(i % decisions_per_block);
  if (at == 0) return {std::nullopt, "", generated_project_claim(block)};
  if (at == decisions_per_block - 1) {
    return {FollowUpKind::settlement, "HB-P-" + std::to_string(block), generated_settlement(block)};
  }
  if (at == decisions_per_block - 2) {
    return {FollowUpKind::review, "HB-W-" + std::to_string(block * 10 + held_person_in_block) + "-1", generated_review()};
  }
  if (at <= 30) {  // ten people, three rounds each, round by round
    int round = (at - 1) / 10;
    int person = block * 10 + (at - 1) % 10;
    return {std::nullopt, "", generated_wft_claim(person, round)};
  }
  return {std::nullopt, "", generated_prejob_claim(block * 10 + (at - 31))};
}

Result<std::uint64_t> record_generated_step(DecisionRecorder& recorder, const GeneratedStep& step) {
  if (step.follow_up) return recorder.record_follow_up(*step.follow_up, step.claim_id, step.body);
  return recorder.record_claim(step.body);
}

std::optional<DecidedStep> decide_generated_step(const GeneratedStep& step, Seq seq, MemoryHistory& history,
                                                 const CatalogueView& catalogue, const RulesetSet& rulesets,
                                                 Decision& out) {
  const MemorySystems no_imports;  // generated histories import no registry
  if (step.follow_up) {
    auto parsed = parse_follow_up(*step.follow_up, step.body);
    if (!std::holds_alternative<FollowUpRequest>(parsed)) return std::nullopt;
    if (!decide_follow_up(step.claim_id, std::get<FollowUpRequest>(parsed), history, catalogue, no_imports, rulesets, out).ok()) {
      return std::nullopt;
    }
    const Claim& claim = history.claim(step.claim_id)->claim;
    history.record(claim, out, seq);
    return DecidedStep{step.claim_id, claim.program};
  }
  auto parsed = parse_claim(step.body);
  if (!std::holds_alternative<Claim>(parsed)) return std::nullopt;
  const Claim& claim = std::get<Claim>(parsed);
  if (!decide(claim, history, catalogue, no_imports, rulesets, out).ok()) return std::nullopt;
  history.record(claim, out, seq);
  return DecidedStep{claim.claim_id, claim.program};
}

}  // namespace subsidy::store::test
