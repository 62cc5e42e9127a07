// The shipped Hubin ruleset loads cleanly and says what policy.md says; RulesetSet answers which
// ruleset governs a date; dated parameter values are picked by date.

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "engine/ruleset_set.h"
#include "tests/support/repo_files.h"
#include "engine/sha256.h"

using namespace subsidy;
namespace json = boost::json;

namespace {

const std::string hubin_path = "rules/hubin-2019/hubin-2019.ruleset.json";

std::string read_file(const std::string& relative) { return testing::read_repo_file(relative); }

std::string all_errors(const std::vector<RulesetLoadError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.to_string() + "\n";
  return out;
}

RulesetSet load_ok(std::vector<RulesetSource> sources) {
  auto result = RulesetSet::load(std::move(sources));
  if (auto* errors = std::get_if<std::vector<RulesetLoadError>>(&result)) FAIL(all_errors(*errors));
  return std::move(std::get<RulesetSet>(result));
}

std::vector<RulesetLoadError> load_errors(std::vector<RulesetSource> sources) {
  auto result = RulesetSet::load(std::move(sources));
  REQUIRE(std::holds_alternative<std::vector<RulesetLoadError>>(result));
  return std::get<std::vector<RulesetLoadError>>(result);
}

Date d(const char* text) { return *parse_date(text); }

// The valid minimal fixture with another id and range, for sets of several rulesets.
RulesetSource minimal(const std::string& id, const std::string& from, const std::string& to) {
  json::value doc = json::parse(read_file("tests/data/rulesets/valid-minimal.ruleset.json"));
  doc.at("id") = id;
  doc.at("effective").at("from") = from;
  doc.at("effective").at("to") = to;
  doc.at("parameters").at("wft.rate").at("values") = {{from, {{"value", 20000}, {"clause", "c"}, {"quote", "q"}}}};
  doc.at("parameters").at("wft.cap_months").at("values") = {{from, {{"value", 6}, {"clause", "c"}, {"quote", "q"}}}};
  doc.at("parameters").at("wft.route_a_entity_types").at("values") = {
      {from, {{"value", json::array{"enterprise"}}, {"clause", "c"}, {"quote", "q"}}}};
  return {id + ".ruleset.json", json::serialize(doc)};
}

}  // namespace

TEST_CASE("the Hubin ruleset loads cleanly and keeps its text, hash and identity") {
  std::string text = read_file(hubin_path);
  RulesetSet set = load_ok({{hubin_path, text}});
  REQUIRE(set.all().size() == 1);
  const Ruleset* rs = set.find("hubin-2019");
  REQUIRE(rs != nullptr);
  CHECK(rs->version == "1.0.0");
  CHECK(rs->file_name == hubin_path);
  CHECK(rs->text == text);
  CHECK(rs->sha256 == sha256_hex(text));
  CHECK(rs->sha256.size() == 64);
  CHECK(rs->effective_from == d("2019-09-07"));
  CHECK(rs->effective_to == d("2021-12-31"));
  CHECK(rs->effective_source.clause == "附件说明");
  CHECK(rs->extends.empty());
  CHECK(rs->base == nullptr);
  CHECK(set.find("hubin-2018") == nullptr);
}

TEST_CASE("ruleset files: sha256_hex gives the published digests") {
  CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("every rule of policy.md is in the Hubin ruleset with its clause, quote and Chinese message") {
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}});
  const Ruleset& rs = *set.find("hubin-2019");
  // policy.md's rule ids, except sys.person_registered, sys.category_verified and sys.class_filed
  // (switched on by parameters that a later ruleset adds).
  const char* ids[] = {"wft.route",
                       "wft.employment_6_months",
                       "wft.month_in_employment",
                       "wft.rate",
                       "wft.cap_months",
                       "dup.month_already_paid",
                       "excl.wft_prejob",
                       "cat.project_listed",
                       "proj.provider",
                       "proj.target_group",
                       "proj.advance",
                       "proj.settlement",
                       "fraud.overlapping_class",
                       "sys.in_system",
                       "sys.person_registered",
                       "sys.category_verified",
                       "sys.class_filed",
                       "rules.no_policy_in_force",
                       "fraud.identity_mismatch",
                       "budget.available",
                       "evidence.required",
                       "fraud.entity_type_mismatch"};
  for (const char* id : ids) {
    CAPTURE(id);
    int found = 0;
    for (const Rule& rule : rs.rules) {
      if (rule.id != id) continue;
      ++found;
      CHECK(!rule.source.clause.empty());
      CHECK(!rule.source.quote.empty());
      CHECK(!rule.message.empty());
      CHECK(!rule.message_zh.empty());
    }
    CHECK(found >= 1);
  }
  for (const Rule& rule : rs.rules) {
    CAPTURE(rule.id);
    CHECK(!rule.source.clause.empty());
    CHECK(!rule.message_zh.empty());
    CHECK(rule.pointer.starts_with("/rules/"));
  }
}

TEST_CASE("ruleset files: the Hubin rules are indexed by program and phase in file order") {
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}});
  const Ruleset& rs = *set.find("hubin-2019");
  REQUIRE(rs.no_policy != nullptr);
  CHECK(rs.no_policy->id == "rules.no_policy_in_force");
  CHECK(rs.no_policy->effect == RuleEffect::no_policy);

  const ProgramRules& wft = rs.rules_for(Program::work_for_training, RulePhase::initial);
  REQUIRE(wft.amount != nullptr);
  CHECK(wft.amount->id == "wft.rate");
  CHECK(wft.disbursement == nullptr);
  REQUIRE(wft.rejects.size() >= 3);
  CHECK(wft.rejects[0]->id == "wft.route");
  CHECK(wft.rejects[1]->id == "wft.employment_6_months");
  CHECK(wft.rejects[1]->when.has_value());
  CHECK(wft.rejects[1]->args.size() == 3);
  CHECK(wft.rejects[1]->args[0].name == "months");
  std::vector<std::string> holds;
  for (const Rule* r : wft.holds) holds.push_back(r->id);
  CHECK(holds == std::vector<std::string>{"sys.category_verified", "fraud.identity_mismatch", "fraud.entity_type_mismatch",
                                          "budget.available"});
  // Only the category rule lets a parameter turn its hold into a rejection.
  CHECK(wft.holds[0]->reject_when.has_value());
  CHECK(!wft.holds[1]->reject_when.has_value());

  const ProgramRules& project = rs.rules_for(Program::project_training, RulePhase::initial);
  REQUIRE(project.disbursement != nullptr);
  CHECK(project.disbursement->id == "proj.advance");
  CHECK(project.disbursement->disbursement_kind == DisbursementKind::advance);
  CHECK(project.amount->id == "proj.standard");

  const ProgramRules& settlement = rs.rules_for(Program::project_training, RulePhase::settlement);
  REQUIRE(settlement.rejects.size() == 1);
  CHECK(settlement.rejects[0]->id == "proj.assessment_passed");
  CHECK(settlement.rejects[0]->phase == RulePhase::settlement);
  CHECK(settlement.amount == nullptr);
  REQUIRE(settlement.disbursement != nullptr);
  CHECK(settlement.disbursement->id == "proj.settlement");
  CHECK(settlement.disbursement->disbursement_kind == final_amount_kind);

  // The same id, stated once per program: each program sees its own.
  const ProgramRules& prejob = rs.rules_for(Program::pre_job_training, RulePhase::initial);
  auto excl = std::find_if(prejob.rejects.begin(), prejob.rejects.end(),
                           [](const Rule* r) { return r->id == "excl.wft_prejob"; });
  REQUIRE(excl != prejob.rejects.end());
  CHECK((*excl)->programs_mask == 2);
  CHECK(rs.targets.size() == 14);
  CHECK(rs.targets[0].task == 1);
}

TEST_CASE("ruleset files: Hubin parameters read with their types, units and sources") {
  RulesetSet set = load_ok({{hubin_path, read_file(hubin_path)}});
  const Ruleset& rs = *set.find("hubin-2019");
  const Parameter* rate = rs.find_parameter("wft.rate");
  REQUIRE(rate != nullptr);
  CHECK(rate->type == expr::Type{expr::BaseType::fen});
  CHECK(rate->values.size() == 1);
  CHECK(rate->values[0].source.clause == "二(三)1");
  CHECK(rs.parameter_value(rs.parameter_index.at("wft.rate"), d("2019-09-07")) == 20000);
  CHECK(rs.parameter_value(rs.parameter_index.at("proj.advance_percent"), d("2020-05-01")) == 50);
  CHECK(rs.parameter_value(rs.parameter_index.at("wft.cap_scope"), d("2020-05-01")) ==
        static_cast<expr::Value>(Scope::person));
  CHECK(rs.find_parameter("excl.scope")->values[0].note.starts_with("Interpretation"));
  auto targets = CategorySet::from_bits(
      static_cast<std::uint64_t>(rs.parameter_value(rs.parameter_index.at("proj.target_groups"), d("2020-01-01"))));
  CHECK(targets.contains(Category::veteran));
  CHECK(!targets.contains(Category::college_graduate));

  const Parameter* registration = rs.find_parameter("fraud.registration_types");
  REQUIRE(registration != nullptr);
  CHECK(registration->type == expr::Type{expr::BaseType::registration_map});
  auto value = rs.parameter_value(rs.parameter_index.at("fraud.registration_types"), d("2020-01-01"));
  const auto& map = *reinterpret_cast<const RegistrationMap*>(static_cast<std::intptr_t>(value));
  CHECK(map[static_cast<std::size_t>(EntityType::training_institution)] == std::vector<std::string>{"12", "52", "91"});
  CHECK(rs.find_parameter("wft.nonexistent") == nullptr);
}

TEST_CASE("ruleset files: parameter_value picks the latest value that took effect on or before the date") {
  json::value doc = json::parse(read_file("tests/data/rulesets/valid-minimal.ruleset.json"));
  // Out of order in the file on purpose: the loader sorts by date.
  doc.at("parameters").at("wft.rate").at("values") = {
      {"2020-06-01", {{"value", 40000}, {"clause", "c"}, {"quote", "q"}}},
      {"2019-09-07", {{"value", 20000}, {"clause", "c"}, {"quote", "q"}}},
      {"2020-01-01", {{"value", 30000}, {"clause", "c"}, {"quote", "q"}, {"note", "a dated change"}}}};
  RulesetSet set = load_ok({{"dated.json", json::serialize(doc)}});
  const Ruleset& rs = *set.all().front();
  std::uint16_t rate = rs.parameter_index.at("wft.rate");
  CHECK(rs.parameters[rate].values.front().from == d("2019-09-07"));
  CHECK(rs.parameter_value(rate, d("2019-09-07")) == 20000);
  CHECK(rs.parameter_value(rate, d("2019-12-31")) == 20000);
  CHECK(rs.parameter_value(rate, d("2020-01-01")) == 30000);
  CHECK(rs.parameter_value(rate, d("2020-05-31")) == 30000);
  CHECK(rs.parameter_value(rate, d("2020-06-01")) == 40000);
  CHECK(rs.parameter_value(rate, d("2021-12-31")) == 40000);
}

TEST_CASE("governing picks the in-force ruleset that starts latest - nearest explains a gap") {
  RulesetSet set = load_ok({minimal("later", "2022-01-01", "2022-12-31"), minimal("first", "2019-01-01", "2020-12-31"),
                            minimal("overlay", "2020-07-01", "2021-06-30")});
  REQUIRE(set.all().size() == 3);
  CHECK(set.all()[0]->id == "first");
  CHECK(set.all()[1]->id == "overlay");
  CHECK(set.all()[2]->id == "later");
  CHECK(set.governing(d("2018-12-31")) == nullptr);
  CHECK(set.governing(d("2019-01-01"))->id == "first");
  CHECK(set.governing(d("2020-06-30"))->id == "first");
  CHECK(set.governing(d("2020-07-01"))->id == "overlay");
  CHECK(set.governing(d("2021-06-30"))->id == "overlay");
  CHECK(set.governing(d("2021-07-01")) == nullptr);
  CHECK(set.governing(d("2022-01-01"))->id == "later");
  CHECK(set.governing(d("2023-01-01")) == nullptr);

  CHECK(set.nearest(d("2020-08-01"))->id == "overlay");  // in force
  CHECK(set.nearest(d("2010-01-01"))->id == "first");
  CHECK(set.nearest(d("2021-07-05"))->id == "overlay");  // 5 days after overlay, 180 before later
  CHECK(set.nearest(d("2021-12-25"))->id == "later");
  CHECK(set.nearest(d("2030-01-01"))->id == "later");
}

TEST_CASE("nearest prefers the earlier ruleset when two are equally near") {
  RulesetSet set = load_ok({minimal("a", "2019-01-01", "2019-12-31"), minimal("b", "2020-01-10", "2020-12-31")});
  CHECK(set.nearest(d("2020-01-04"))->id == "a");  // 4 days after a, 6 before b
  CHECK(set.nearest(d("2020-01-05"))->id == "a");  // 5 and 5: the earlier
  CHECK(set.nearest(d("2020-01-06"))->id == "b");  // 6 after a, 4 before b
}

TEST_CASE("two rulesets taking effect on the same day are refused") {
  auto errors = load_errors({minimal("a", "2019-01-01", "2019-12-31"), minimal("b", "2019-01-01", "2019-06-30")});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].pointer == "/effective/from");
  CHECK(errors[0].message.find("same day") != std::string::npos);
}

TEST_CASE("two rulesets with the same id are refused") {
  auto errors = load_errors({minimal("a", "2019-01-01", "2019-12-31"), minimal("a", "2020-01-01", "2020-06-30")});
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].file_name == "a.ruleset.json");
  CHECK(errors[0].pointer == "/id");
}

TEST_CASE("a load needs at least one ruleset") {
  auto errors = load_errors({});
  REQUIRE(errors.size() == 1);
}
