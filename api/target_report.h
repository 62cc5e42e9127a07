#pragma once
// Progress against the plan's target tasks in one year (policy.md "Targets and reports"; api.md
// GET /v1/reports/targets). A training counts once its line is approved, in the year of its
// month (work_for_training) or of its start (classes, pre-job training), toward the tasks its
// person's categories map to under the targets.mapping of the ruleset in force on that date.
// Pure: rows and claim bodies in, JSON out. docs/reports.md says what one training is.

#include "engine/calendar.h"
#include "engine/ruleset_set.h"
#include "engine/targets.h"
#include "engine/vocabulary.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace subsidy::api {

// The days of `year` that count: the plan's own range for a year it lists (2019 from
// 2019-09-07), else the calendar year. in_plan says which.
struct TargetYearSpan {
  int year = 0;
  Date first, last;  // inclusive
  bool in_plan = false;
};
TargetYearSpan target_year_span(const Targets& targets, int year);

// An approved line as the store lists it (store/report_queries.h, ApprovedTrainingRow).
struct ApprovedLine {
  std::string claim_id, id_number, program;
  std::string governing_month;  // "YYYY-MM" or ""
  std::string period_start;     // "YYYY-MM-DD" or ""
};

// The categories of every person a claim names (person.categories, trainees[i].categories), by
// id_number; names outside the vocabulary are left out (the claim parser admitted none).
std::map<std::string, std::vector<Category>> claim_categories(const boost::json::value& claim_body);

class TargetReport {
 public:
  // REQUIRES: targets and rulesets outlive the report; at least one ruleset is loaded.
  TargetReport(const Targets& targets, const RulesetSet& rulesets, int year);

  // The categories of a claim's people (claim_categories), before its lines are added.
  void add_claim(const std::string& claim_id, const boost::json::value& body);
  // One approved line; a line outside the year, of another program, or repeating a (claim,
  // person) already counted adds nothing.
  void add_line(const ApprovedLine& line);

  std::int64_t trainings() const { return static_cast<std::int64_t>(trainings_.size()); }
  std::int64_t unmapped() const { return unmapped_; }
  // The count toward task `number` (1-based): trainings for 人次 tasks, distinct people for 人.
  std::int64_t achieved(int number) const;
  boost::json::object to_json() const;

 private:
  std::optional<Date> governing_date(const ApprovedLine& line) const;
  const std::vector<TargetMapping>& mapping_on(Date d) const;

  const Targets& targets_;
  const RulesetSet& rulesets_;
  TargetYearSpan span_;
  std::map<std::string, std::map<std::string, std::vector<Category>>> categories_;  // claim -> person -> categories
  std::set<std::pair<std::string, std::string>> trainings_;                         // (claim_id, id_number)
  std::vector<std::int64_t> times_;                 // per task (index number - 1): trainings
  std::vector<std::set<std::string>> persons_;      // per task: distinct id_numbers
  std::int64_t unmapped_ = 0;
};

}  // namespace subsidy::api
