#pragma once
// The target tasks of a plan: the attachment's table of tasks (rules/hubin-2019/targets.json,
// schemas/targets.schema.json), each with its lead and participating units and its three-year
// total, and the years that total is spread over. Which task an approved training counts toward
// is the ruleset's targets.mapping (ruleset.h), not this file's.
//
// parse_targets is pure: a JSON document in, Targets or every problem found (each with its JSON
// Pointer) out.

#include "engine/calendar.h"
#include "engine/problem.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace subsidy {

// Bounds on a targets document; the parser rejects anything larger.
struct TargetsLimits {
  static constexpr std::size_t tasks_max = 64;
  static constexpr std::size_t years_max = 10;
  static constexpr std::size_t parts_max = 8;
  static constexpr std::size_t lead_units_max = 8;
  static constexpr std::size_t participating_units_max = 32;
  static constexpr std::size_t notes_max = 32;
  static constexpr std::size_t text_chars_max = 1024;  // titles, quotes, notes
  static constexpr std::size_t unit_name_chars_max = 64;
  static constexpr std::int64_t persons_max = 1'000'000;
};

// How the table counts a task: 人次 (person-times: one person trained twice counts twice) or
// 人 (persons).
enum class TargetCountUnit : std::uint8_t { person_times, persons };

struct TargetPart {
  std::string title_zh;
  std::int64_t persons = 0;
};

struct ParticipatingUnit {
  std::string name;
  std::optional<std::int64_t> persons;  // the unit's own figure, where the table gives one
};

struct TargetTask {
  int number = 0;  // 序号, 1..N
  std::string title_zh;
  TargetCountUnit unit = TargetCountUnit::person_times;
  std::int64_t target_persons = 0;         // the total over all years (三年总任务), in `unit`
  std::int64_t yearly_target_persons = 0;  // ceil(target_persons / years), each year's share
  std::vector<TargetPart> parts;           // empty, or two or more adding up to target_persons
  std::vector<std::string> lead_units;
  std::vector<ParticipatingUnit> participating_units;
};

struct TargetYear {
  int year = 0;
  Date start;  // the first day that counts (2019-09-07 for the Hubin plan's first year)
  Date end;    // inclusive
};

struct Targets {
  std::string title_zh;
  std::vector<TargetYear> years;  // consecutive, ascending
  std::vector<TargetTask> tasks;  // tasks[i].number == i + 1

  // The task numbered `number`, or nullptr.
  const TargetTask* task(int number) const;
};

// Each year's share of a total spread evenly over `years` years, rounded up: 4500 over 3 -> 1500,
// 1000 over 3 -> 334. REQUIRES: years > 0, total_persons >= 0.
std::int64_t yearly_share_persons(std::int64_t total_persons, std::size_t years);

std::variant<Targets, Problems> parse_targets(const boost::json::value& document);

}  // namespace subsidy
