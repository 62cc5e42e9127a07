#include "api/target_report.h"

#include <boost/json/array.hpp>

#include <algorithm>

namespace subsidy::api {

namespace {

namespace json = boost::json;

// The share achieved in thousandths, rounded down: an integer, never a float. None without a target.
json::value per_mille(std::int64_t achieved, std::int64_t target) {
  if (target <= 0) return nullptr;
  return achieved * 1000 / target;  // achieved and target are counts of people: no overflow
}

std::string_view unit_text(TargetCountUnit u) { return u == TargetCountUnit::persons ? "人" : "人次"; }

void read_person(const json::value& person, std::map<std::string, std::vector<Category>>& out) {
  const json::object* o = person.if_object();
  const json::value* id = o ? o->if_contains("id_number") : nullptr;
  const json::value* categories = o ? o->if_contains("categories") : nullptr;
  if (!id || !id->is_string() || !categories || !categories->is_array()) return;
  std::vector<Category>& list = out[std::string(id->get_string())];
  for (const json::value& c : categories->get_array()) {
    auto category = c.is_string() ? parse_enum<Category>(c.get_string()) : std::nullopt;
    if (category && std::find(list.begin(), list.end(), *category) == list.end()) list.push_back(*category);
  }
}

}  // namespace

TargetYearSpan target_year_span(const Targets& targets, int year) {
  for (const TargetYear& y : targets.years) {
    if (y.year == year) return TargetYearSpan{year, y.start, y.end, true};
  }
  auto y = static_cast<unsigned short>(year);
  return TargetYearSpan{year, Date(y, 1, 1), Date(y, 12, 31), false};
}

std::map<std::string, std::vector<Category>> claim_categories(const json::value& claim_body) {
  std::map<std::string, std::vector<Category>> out;
  const json::object* o = claim_body.if_object();
  if (!o) return out;
  if (const json::value* person = o->if_contains("person")) read_person(*person, out);
  const json::value* trainees = o->if_contains("trainees");
  if (trainees && trainees->is_array()) {
    for (const json::value& t : trainees->get_array()) read_person(t, out);
  }
  return out;
}

TargetReport::TargetReport(const Targets& targets, const RulesetSet& rulesets, int year)
    : targets_(targets),
      rulesets_(rulesets),
      span_(target_year_span(targets, year)),
      times_(targets.tasks.size(), 0),
      persons_(targets.tasks.size()) {}

void TargetReport::add_claim(const std::string& claim_id, const json::value& body) {
  categories_[claim_id] = claim_categories(body);
}

// The month's first day (work_for_training) or the start, if it lies in the year; a month counts
// in the year it overlaps (2019-09 in the plan's 2019, which begins on the 7th).
std::optional<Date> TargetReport::governing_date(const ApprovedLine& line) const {
  if (line.program == name_of(Program::work_for_training)) {
    auto month = parse_month(line.governing_month);
    if (!month || month->last_day() < span_.first || month->first_day() > span_.last) return std::nullopt;
    return std::max(month->first_day(), span_.first);
  }
  auto start = parse_date(line.period_start);
  if (!start || *start < span_.first || *start > span_.last) return std::nullopt;
  return start;
}

const std::vector<TargetMapping>& TargetReport::mapping_on(Date d) const {
  const Ruleset* rs = rulesets_.governing(d);
  return (rs ? rs : rulesets_.nearest(d))->targets;
}

void TargetReport::add_line(const ApprovedLine& line) {
  auto program = parse_enum<Program>(line.program);
  auto on = governing_date(line);
  if (!program || !on) return;
  // One training per person per claim: the months of one work-for-training claim are one 人次.
  if (!trainings_.emplace(line.claim_id, line.id_number).second) return;
  std::vector<Category> none;
  auto claim = categories_.find(line.claim_id);
  const std::vector<Category>* categories = &none;
  if (claim != categories_.end()) {
    auto person = claim->second.find(line.id_number);
    if (person != claim->second.end()) categories = &person->second;
  }
  // Toward each distinct task the person's categories map to, once.
  std::set<int> tasks;
  for (const TargetMapping& m : mapping_on(*on)) {
    bool has = std::find(categories->begin(), categories->end(), m.category) != categories->end();
    if (m.program == *program && has && targets_.task(m.task)) tasks.insert(m.task);
  }
  if (tasks.empty()) ++unmapped_;
  for (int t : tasks) {
    ++times_[static_cast<std::size_t>(t - 1)];
    persons_[static_cast<std::size_t>(t - 1)].insert(line.id_number);
  }
}

std::int64_t TargetReport::achieved(int number) const {
  const TargetTask* task = targets_.task(number);
  if (!task) return 0;
  auto i = static_cast<std::size_t>(number - 1);
  if (task->unit == TargetCountUnit::persons) return static_cast<std::int64_t>(persons_[i].size());
  return times_[i];
}

json::object TargetReport::to_json() const {
  json::array tasks;
  for (const TargetTask& t : targets_.tasks) {
    std::int64_t target = span_.in_plan ? t.yearly_target_persons : 0;
    std::int64_t done = achieved(t.number);
    tasks.emplace_back(json::object{{"number", t.number},
                                    {"title_zh", t.title_zh},
                                    {"unit", unit_text(t.unit)},
                                    {"yearly_target_persons", target},
                                    {"achieved", done},
                                    {"progress_per_mille", per_mille(done, target)}});
  }
  return json::object{{"year", span_.year},
                      {"in_plan", span_.in_plan},
                      {"from", format_date(span_.first)},
                      {"to", format_date(span_.last)},
                      {"trainings", trainings()},
                      {"unmapped", unmapped_},
                      {"tasks", std::move(tasks)}};
}

}  // namespace subsidy::api
