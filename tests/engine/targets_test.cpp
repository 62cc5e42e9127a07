// rules/hubin-2019/targets.json: the attachment's 22 tasks (湖滨区职业技能提升行动目标任务分解表) as
// data. It validates against schemas/targets.schema.json, parses (engine/targets.h), and holds the
// table's figures; every task the ruleset's targets.mapping names is in it. The parser refuses
// what the schema cannot see (numbering, parts that do not add up) with a pointer to it.

#include "engine/calendar.h"
#include "engine/json_reader.h"
#include "engine/targets.h"

#include "tests/support/json_schema.h"

#include <doctest/doctest.h>


#include <boost/json/parse.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;
using subsidy::Targets;
using subsidy::TargetTask;

using subsidy::testing::JsonSchema;
using subsidy::testing::read_json_file;
using subsidy::testing::source_dir;

namespace {

constexpr const char* targets_file = "rules/hubin-2019/targets.json";

// "" when `value` validates against schemas/targets.schema.json, else the validator's errors.
std::string schema_errors(const json::value& value) {
  static const JsonSchema schema("schemas/targets.schema.json");
  return schema.errors(value);
}

const json::value& targets_document() {
  static const json::value document = read_json_file(source_dir / targets_file);
  return document;
}

Targets parsed_targets() {
  auto parsed = subsidy::parse_targets(targets_document());
  if (auto* problems = std::get_if<subsidy::Problems>(&parsed)) {
    std::string text;
    for (const auto& p : *problems) text += p.pointer + ": " + p.message + "\n";
    FAIL(text);
  }
  return std::get<Targets>(std::move(parsed));
}

std::set<std::string> problem_pointers(const json::value& document) {
  std::set<std::string> pointers;
  auto parsed = subsidy::parse_targets(document);
  if (auto* problems = std::get_if<subsidy::Problems>(&parsed)) {
    for (const auto& p : *problems) pointers.insert(p.pointer);
  }
  return pointers;
}

// The table's three-year totals (三年总任务), task 1 first.
constexpr std::array<std::int64_t, 22> table_totals = {4500, 4000, 3000, 1800, 1500, 500, 300, 300, 2000, 200, 3000,
                                                       150,  900,  1000, 1000, 2200, 600, 600, 300, 300, 900, 400};

}  // namespace

TEST_CASE("targets: targets.json validates against schemas/targets.schema.json") {
  CHECK(schema_errors(targets_document()) == "");
}

TEST_CASE("targets: exactly the tasks 1..22, with the table's totals and units") {
  Targets targets = parsed_targets();
  REQUIRE(targets.tasks.size() == 22);
  for (std::size_t i = 0; i < targets.tasks.size(); ++i) {
    const TargetTask& task = targets.tasks[i];
    CAPTURE(task.number);
    CHECK(task.number == static_cast<int>(i) + 1);
    CHECK(targets.task(task.number) == &task);
    CHECK(task.target_persons == table_totals[i]);
    CHECK_FALSE(task.title_zh.empty());
    CHECK_FALSE(task.lead_units.empty());
    // 人 for tasks 18-20 (巧媳妇工程, 新型学徒制, 高技能人才), 人次 for the others.
    bool persons = task.number >= 18 && task.number <= 20;
    CHECK(task.unit == (persons ? subsidy::TargetCountUnit::persons : subsidy::TargetCountUnit::person_times));
  }
  CHECK(targets.task(0) == nullptr);
  CHECK(targets.task(23) == nullptr);
  CHECK(targets.task(1)->target_persons == 4500);
  CHECK(targets.task(5)->target_persons == 1500);
  CHECK(targets.task(13)->target_persons == 900);
  CHECK(targets.task(16)->target_persons == 2200);
  CHECK(targets.task(20)->target_persons == 300);
}

TEST_CASE("targets: tasks with several figures keep each part and their sum") {
  Targets targets = parsed_targets();
  const TargetTask& task13 = *targets.task(13);
  REQUIRE(task13.parts.size() == 2);
  CHECK(task13.parts[0].title_zh == "电子商务从业人员技能提升培训");
  CHECK(task13.parts[0].persons == 600);
  CHECK(task13.parts[1].title_zh == "家政服务业人员培训");
  CHECK(task13.parts[1].persons == 300);
  const TargetTask& task16 = *targets.task(16);
  REQUIRE(task16.parts.size() == 3);
  CHECK(task16.parts[0].persons == 1000);
  CHECK(task16.parts[1].persons == 600);
  CHECK(task16.parts[2].persons == 600);
  for (const TargetTask& task : targets.tasks) {
    if (task.number != 13 && task.number != 16) CHECK(task.parts.empty());
  }
}

TEST_CASE("targets: titles and units as the table gives them") {
  Targets targets = parsed_targets();
  CHECK(targets.title_zh == "湖滨区职业技能提升行动目标任务分解表");
  CHECK(targets.task(1)->title_zh == "企业在岗职工技能提升培训4500人次");
  CHECK(targets.task(13)->title_zh == "电子商务从业人员技能提升培训600人次、家政服务业人员培训300人次");
  CHECK(targets.task(16)->title_zh ==
        "企业百万职工技能提升培训1000人次,企业职工转岗技能培训600人次,困难职工子女技能培训600人次");
  CHECK(targets.task(22)->title_zh == "安全技能培训 400人次");
  CHECK(targets.task(1)->lead_units == std::vector<std::string>{"区工信和科技局", "工业园区办"});
  CHECK(targets.task(12)->lead_units == std::vector<std::string>{"区退役军人事务局"});
  CHECK(targets.task(19)->lead_units == std::vector<std::string>{"区人社局", "区教体局"});

  // Task 1: every participating unit has its own figure, and they make the total.
  std::int64_t sum = 0;
  for (const auto& unit : targets.task(1)->participating_units) {
    REQUIRE(unit.persons.has_value());
    sum += *unit.persons;
  }
  CHECK(targets.task(1)->participating_units.size() == 6);
  CHECK(sum == 4500);
  // Task 20: 工业园区办(80人)、工信和科技局(80人)、妇联(140人) and nine units without a figure.
  const auto& units20 = targets.task(20)->participating_units;
  REQUIRE(units20.size() == 12);
  CHECK(units20[0].name == "工业园区办");
  CHECK(units20[0].persons == 80);
  CHECK(units20[1].persons == 80);
  CHECK(units20[2].name == "妇联");
  CHECK(units20[2].persons == 140);
  for (std::size_t i = 3; i < units20.size(); ++i) CHECK_FALSE(units20[i].persons.has_value());
}

TEST_CASE("targets: each year's target is a third of the total, rounded up, and 2019 counts from 2019-09-07") {
  CHECK(subsidy::yearly_share_persons(4500, 3) == 1500);
  CHECK(subsidy::yearly_share_persons(150, 3) == 50);
  CHECK(subsidy::yearly_share_persons(1000, 3) == 334);
  CHECK(subsidy::yearly_share_persons(2200, 3) == 734);
  CHECK(subsidy::yearly_share_persons(1, 3) == 1);
  CHECK(subsidy::yearly_share_persons(0, 3) == 0);
  CHECK(subsidy::yearly_share_persons(INT64_MAX, 1) == INT64_MAX);

  Targets targets = parsed_targets();
  REQUIRE(targets.years.size() == 3);
  CHECK(targets.years[0].year == 2019);
  CHECK(subsidy::format_date(targets.years[0].start) == "2019-09-07");
  CHECK(subsidy::format_date(targets.years[0].end) == "2019-12-31");
  CHECK(targets.years[1].year == 2020);
  CHECK(subsidy::format_date(targets.years[1].start) == "2020-01-01");
  CHECK(targets.years[2].year == 2021);
  CHECK(subsidy::format_date(targets.years[2].end) == "2021-12-31");

  CHECK(targets.task(1)->yearly_target_persons == 1500);
  CHECK(targets.task(12)->yearly_target_persons == 50);
  CHECK(targets.task(14)->yearly_target_persons == 334);
  for (const TargetTask& task : targets.tasks) {
    CAPTURE(task.number);
    std::int64_t yearly = task.yearly_target_persons;
    CHECK(yearly * 3 >= task.target_persons);
    CHECK((yearly - 1) * 3 < task.target_persons);
  }

  // The 说明 is quoted: one third a year, from 2019-09-07, counted once approved.
  const std::string quote(targets_document().at("explanation").at("quote").as_string());
  for (const char* words : {"三年总任务", "每年完成目标任务的三分之一", "2019年9月7日为起始时间", "通过审核后为准"}) {
    CAPTURE(words);
    CHECK(quote.find(words) != std::string::npos);
  }
}

TEST_CASE("targets: every task the rulesets' targets.mapping names exists in targets.json") {
  Targets targets = parsed_targets();
  std::size_t mappings = 0;
  for (const auto& entry : fs::recursive_directory_iterator(source_dir / "rules")) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file() || !name.ends_with(".ruleset.json")) continue;
    json::value ruleset = read_json_file(entry.path());
    const json::value* section = ruleset.as_object().if_contains("targets");
    if (!section) continue;
    CAPTURE(name);
    const fs::path tasks_file = entry.path().parent_path() / std::string(section->at("tasks_file").as_string());
    CHECK(fs::equivalent(tasks_file, source_dir / targets_file));
    for (const json::value& mapping : section->at("mapping").as_array()) {
      ++mappings;
      std::int64_t task = mapping.at("task").as_int64();
      CAPTURE(task);
      CHECK(targets.task(static_cast<int>(task)) != nullptr);
    }
  }
  CHECK(mappings > 0);
}

TEST_CASE("targets: the parser refuses what the schema cannot see, at its pointer") {
  struct Case {
    const char* what;
    const char* pointer;  // where the mutation goes
    json::value value;
    const char* expected;  // the problem pointer
    bool schema_refuses;  // shape problems the schema refuses too
  };
  const std::vector<Case> cases = {
      {"tasks out of order", "/tasks/1/number", json::value(3), "/tasks/1/number", false},
      {"parts that do not add up", "/tasks/12/parts/1/persons", json::value(301), "/tasks/12/parts", false},
      {"unit figures over the total", "/tasks/0/participating_units/0/persons", json::value(1001),
       "/tasks/0/participating_units", false},
      {"a lead unit twice", "/tasks/8/lead_units/1", json::value("区建设局"), "/tasks/8/lead_units/1", true},
      {"a participating unit twice", "/tasks/2/participating_units/1/name", json::value("区财政局"),
       "/tasks/2/participating_units/1/name", false},
      {"years not consecutive", "/years/2", json::parse(R"({"year": 2022, "start": "2022-01-01", "end": "2022-12-31"})"),
       "/years/2/year", false},
      {"a year's start outside it", "/years/0/start", json::value("2018-09-07"), "/years/0/start", false},
      {"an impossible date", "/years/0/end", json::value("2019-02-30"), "/years/0/end", false},
      {"an unknown count unit", "/tasks/0/unit", json::value("个"), "/tasks/0/unit", true},
      {"an unknown member", "/tasks/0/title", json::value("x"), "/tasks/0/title", true},
      {"a zero target", "/tasks/5/target_persons", json::value(0), "/tasks/5/target_persons", true},
  };
  CHECK(problem_pointers(targets_document()).empty());
  for (const Case& c : cases) {
    CAPTURE(c.what);
    json::value document = targets_document();
    std::string_view pointer(c.pointer);
    std::size_t slash = pointer.rfind('/');
    boost::system::error_code ec;
    json::value* parent = document.find_pointer(json::string_view(pointer.data(), slash), ec);
    REQUIRE(parent);
    std::string key(pointer.substr(slash + 1));
    if (json::object* o = parent->if_object()) (*o)[key] = c.value;
    else parent->as_array().at(std::stoul(key)) = c.value;
    CHECK(problem_pointers(document) == std::set<std::string>{c.expected});
    CHECK((schema_errors(document) != "") == c.schema_refuses);
  }
}
