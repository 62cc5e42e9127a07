#include "engine/targets.h"

#include "engine/json_fields.h"

#include <algorithm>
#include <cassert>
#include <string_view>
#include <utility>

namespace subsidy {
namespace {

namespace json = boost::json;

std::optional<std::int64_t> read_int(const json::value& value, const std::string& pointer, std::int64_t min,
                                     std::int64_t max, Problems& problems) {
  if (!value.is_int64() && !value.is_uint64()) {
    add_problem(problems, pointer, "must be an integer");
    return std::nullopt;
  }
  // A uint64 holds only what int64 cannot: always out of range.
  if (!value.is_int64() || value.get_int64() < min || value.get_int64() > max) {
    add_problem(problems, pointer, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return std::nullopt;
  }
  return value.get_int64();
}

std::optional<std::int64_t> read_persons(const json::value& value, const std::string& pointer, Problems& problems) {
  return read_int(value, pointer, 1, TargetsLimits::persons_max, problems);
}

std::string read_text(ObjectFields& fields, std::string_view name, Problems& problems) {
  const json::value* v = fields.required(name);
  if (!v) return {};
  auto text = read_text_chars(*v, fields.pointer_of(name), TargetsLimits::text_chars_max, problems);
  return text ? std::string(*text) : std::string();
}

// A unit's name, reported at its later occurrence when the list already has it.
std::optional<std::string> read_unit_name(const json::value& value, const std::string& pointer,
                                          const std::vector<std::string>& seen, Problems& problems) {
  auto name = read_text_chars(value, pointer, TargetsLimits::unit_name_chars_max, problems);
  if (!name) return std::nullopt;
  if (std::find(seen.begin(), seen.end(), *name) != seen.end()) {
    add_problem(problems, pointer, std::string(*name) + " is listed twice");
  }
  return std::string(*name);
}

void read_explanation(const json::value& value, const std::string& pointer, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  read_text(fields, "clause", problems);
  read_text(fields, "quote", problems);
  fields.finish();
}

std::optional<TargetYear> read_year(const json::value& value, const std::string& pointer, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  std::optional<std::int64_t> year;
  std::optional<Date> start, end;
  if (auto* v = fields.required("year")) year = read_int(*v, fields.pointer_of("year"), year_min, year_max, problems);
  if (auto* v = fields.required("start")) start = read_date(*v, fields.pointer_of("start"), problems);
  if (auto* v = fields.required("end")) end = read_date(*v, fields.pointer_of("end"), problems);
  fields.finish();
  if (!year || !start || !end) return std::nullopt;
  bool ok = true;
  if (static_cast<std::int64_t>(start->year()) != *year) {
    add_problem(problems, fields.pointer_of("start"), "must be in " + std::to_string(*year));
    ok = false;
  }
  if (static_cast<std::int64_t>(end->year()) != *year) {
    add_problem(problems, fields.pointer_of("end"), "must be in " + std::to_string(*year));
    ok = false;
  } else if (*end < *start) {
    add_problem(problems, fields.pointer_of("end"), "must not be before start (" + format_date(*start) + ")");
    ok = false;
  }
  if (!ok) return std::nullopt;
  return TargetYear{static_cast<int>(*year), *start, *end};
}

std::vector<TargetYear> read_years(const json::value& value, const std::string& pointer, Problems& problems) {
  std::vector<TargetYear> years;
  const json::array* array = read_array(value, pointer, 1, TargetsLimits::years_max, problems);
  if (!array) return years;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto year = read_year((*array)[i], item_pointer, problems);
    if (!year) continue;
    if (!years.empty() && year->year != years.back().year + 1) {
      add_problem(problems, pointer_append(item_pointer, "year"),
                  "must be " + std::to_string(years.back().year + 1) + " (years are consecutive)");
    }
    years.push_back(*year);
  }
  return years;
}

void read_notes(const json::value& value, const std::string& pointer, Problems& problems) {
  const json::array* array = read_array(value, pointer, 0, TargetsLimits::notes_max, problems);
  if (!array) return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    read_text_chars((*array)[i], pointer_append(pointer, i), TargetsLimits::text_chars_max, problems);
  }
}

// Two or more figures that add up to the task's total.
std::vector<TargetPart> read_parts(const json::value& value, const std::string& pointer,
                                   std::optional<std::int64_t> total, Problems& problems) {
  std::vector<TargetPart> parts;
  const json::array* array = read_array(value, pointer, 2, TargetsLimits::parts_max, problems);
  if (!array) return parts;
  bool complete = true;
  std::int64_t sum = 0;  // at most parts_max * persons_max: no overflow
  for (std::size_t i = 0; i < array->size(); ++i) {
    ObjectFields fields((*array)[i], pointer_append(pointer, i), problems);
    TargetPart part;
    part.title_zh = read_text(fields, "title_zh", problems);
    std::optional<std::int64_t> persons;
    if (auto* v = fields.required("persons")) persons = read_persons(*v, fields.pointer_of("persons"), problems);
    fields.finish();
    if (!persons) {
      complete = false;
      continue;
    }
    part.persons = *persons;
    sum += *persons;
    parts.push_back(std::move(part));
  }
  if (complete && total && sum != *total) {
    add_problem(problems, pointer,
                "the parts add up to " + std::to_string(sum) + ", not target_persons (" + std::to_string(*total) + ")");
  }
  return parts;
}

std::vector<std::string> read_lead_units(const json::value& value, const std::string& pointer, Problems& problems) {
  std::vector<std::string> units;
  const json::array* array = read_array(value, pointer, 1, TargetsLimits::lead_units_max, problems);
  if (!array) return units;
  for (std::size_t i = 0; i < array->size(); ++i) {
    if (auto name = read_unit_name((*array)[i], pointer_append(pointer, i), units, problems)) units.push_back(*name);
  }
  return units;
}

// The units' own figures are shares of the task: together at most its total.
std::vector<ParticipatingUnit> read_participating_units(const json::value& value, const std::string& pointer,
                                                        std::optional<std::int64_t> total, Problems& problems) {
  std::vector<ParticipatingUnit> units;
  const json::array* array = read_array(value, pointer, 0, TargetsLimits::participating_units_max, problems);
  if (!array) return units;
  std::vector<std::string> names;
  std::int64_t sum = 0;  // at most participating_units_max * persons_max: no overflow
  for (std::size_t i = 0; i < array->size(); ++i) {
    ObjectFields fields((*array)[i], pointer_append(pointer, i), problems);
    ParticipatingUnit unit;
    if (auto* v = fields.required("name")) {
      if (auto name = read_unit_name(*v, fields.pointer_of("name"), names, problems)) unit.name = *name;
    }
    if (auto* v = fields.optional("persons")) unit.persons = read_persons(*v, fields.pointer_of("persons"), problems);
    fields.finish();
    sum += unit.persons.value_or(0);
    names.push_back(unit.name);
    units.push_back(std::move(unit));
  }
  if (total && sum > *total) {
    add_problem(problems, pointer,
                "the units' figures add up to " + std::to_string(sum) + ", more than target_persons (" +
                    std::to_string(*total) + ")");
  }
  return units;
}

TargetTask read_task(const json::value& value, const std::string& pointer, std::size_t index, Problems& problems) {
  TargetTask task;
  ObjectFields fields(value, pointer, problems);
  const int expected_number = static_cast<int>(index) + 1;
  if (auto* v = fields.required("number")) {
    auto number = read_int(*v, fields.pointer_of("number"), 1, TargetsLimits::tasks_max, problems);
    if (number && *number != expected_number) {
      add_problem(problems, fields.pointer_of("number"),
                  "must be " + std::to_string(expected_number) + " (tasks are numbered 1..N in order)");
    }
  }
  task.number = expected_number;
  task.title_zh = read_text(fields, "title_zh", problems);
  if (auto* v = fields.required("unit")) {
    auto unit = read_string(*v, fields.pointer_of("unit"), problems);
    if (unit == "人次") task.unit = TargetCountUnit::person_times;
    else if (unit == "人") task.unit = TargetCountUnit::persons;
    else if (unit) add_problem(problems, fields.pointer_of("unit"), "must be 人次 or 人");
  }
  std::optional<std::int64_t> total;
  if (auto* v = fields.required("target_persons")) total = read_persons(*v, fields.pointer_of("target_persons"), problems);
  task.target_persons = total.value_or(0);
  if (auto* v = fields.optional("parts")) task.parts = read_parts(*v, fields.pointer_of("parts"), total, problems);
  if (auto* v = fields.required("lead_units")) task.lead_units = read_lead_units(*v, fields.pointer_of("lead_units"), problems);
  if (auto* v = fields.required("participating_units")) {
    task.participating_units =
        read_participating_units(*v, fields.pointer_of("participating_units"), total, problems);
  }
  if (auto* v = fields.optional("note")) read_text_chars(*v, fields.pointer_of("note"), TargetsLimits::text_chars_max, problems);
  fields.finish();
  return task;
}

std::vector<TargetTask> read_tasks(const json::value& value, const std::string& pointer, Problems& problems) {
  std::vector<TargetTask> tasks;
  const json::array* array = read_array(value, pointer, 1, TargetsLimits::tasks_max, problems);
  if (!array) return tasks;
  for (std::size_t i = 0; i < array->size(); ++i) {
    tasks.push_back(read_task((*array)[i], pointer_append(pointer, i), i, problems));
  }
  return tasks;
}

}  // namespace

const TargetTask* Targets::task(int number) const {
  if (number < 1 || static_cast<std::size_t>(number) > tasks.size()) return nullptr;
  return &tasks[static_cast<std::size_t>(number) - 1];
}

std::int64_t yearly_share_persons(std::int64_t total_persons, std::size_t years) {
  assert(years > 0 && total_persons >= 0);
  const auto n = static_cast<std::int64_t>(years);
  return total_persons / n + (total_persons % n != 0 ? 1 : 0);  // no total + n - 1: it could overflow
}

std::variant<Targets, Problems> parse_targets(const json::value& document) {
  Problems problems;
  Targets targets;
  ObjectFields fields(document, "", problems);
  if (!fields.is_object()) return problems;
  targets.title_zh = read_text(fields, "title_zh", problems);
  read_text(fields, "source_document", problems);
  if (auto* v = fields.required("explanation")) read_explanation(*v, fields.pointer_of("explanation"), problems);
  if (auto* v = fields.required("years")) targets.years = read_years(*v, fields.pointer_of("years"), problems);
  if (auto* v = fields.optional("notes")) read_notes(*v, fields.pointer_of("notes"), problems);
  if (auto* v = fields.required("tasks")) targets.tasks = read_tasks(*v, fields.pointer_of("tasks"), problems);
  fields.finish();
  if (!problems.empty()) return problems;
  for (TargetTask& task : targets.tasks) {
    task.yearly_target_persons = yearly_share_persons(task.target_persons, targets.years.size());
  }
  return targets;
}

}  // namespace subsidy
