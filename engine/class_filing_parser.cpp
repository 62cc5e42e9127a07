#include "engine/class_filing_parser.h"

#include "engine/json_fields.h"

#include <boost/json/array.hpp>

#include <set>
#include <string>

namespace subsidy {
namespace {

namespace json = boost::json;

std::vector<RosterEntry> read_roster(const json::value& value, const std::string& pointer, Problems& problems) {
  std::vector<RosterEntry> roster;
  const json::array* items = read_array(value, pointer, 1, ClassFilingLimits::roster_max, problems);
  if (!items) return roster;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < items->size(); ++i) {
    ObjectFields fields((*items)[i], pointer_append(pointer, i), problems);
    RosterEntry entry;
    bool ok = true;
    if (auto* v = fields.required("id_number")) {
      auto id = read_resident_id(*v, fields.pointer_of("id_number"), problems);
      if (id && !seen.insert(id->str()).second) {
        add_problem(problems, fields.pointer_of("id_number"), "is on the roster twice");
        ok = false;
      }
      if (id) entry.id_number = *id;
      ok = ok && id.has_value();
    }
    if (auto* v = fields.required("name")) {
      auto name = read_text_bytes(*v, fields.pointer_of("name"), ClaimLimits::name_bytes_max, problems);
      if (name) entry.name = *name;
      ok = ok && name.has_value();
    }
    fields.finish();
    if (ok) roster.push_back(std::move(entry));
  }
  return roster;
}

}  // namespace

std::variant<ClassFiling, Problems> parse_class_filing(const json::value& document) {
  Problems problems;
  ClassFiling filing;
  ObjectFields fields(document, "", problems);
  if (auto* v = fields.required("class_id")) {
    auto id = read_identifier(*v, fields.pointer_of("class_id"), ClassFilingLimits::class_id_chars_max, problems);
    if (id) filing.class_id = *id;
  }
  if (auto* v = fields.required("credit_code")) {
    if (auto code = read_credit_code(*v, fields.pointer_of("credit_code"), problems)) filing.credit_code = *code;
  }
  if (auto* v = fields.required("project_code")) {
    auto code = read_identifier(*v, fields.pointer_of("project_code"), ClaimLimits::project_code_chars_max, problems);
    if (code) filing.project_code = *code;
  }
  std::optional<Date> start, end, filed_on;
  if (auto* v = fields.required("start")) start = read_date(*v, fields.pointer_of("start"), problems);
  if (auto* v = fields.required("end")) end = read_date(*v, fields.pointer_of("end"), problems);
  if (start && end && *end < *start) add_problem(problems, fields.pointer_of("end"), "is before start");
  if (start && end) filing.period = Period{*start, *end};
  if (auto* v = fields.required("hours")) {
    const std::int64_t* n = v->if_int64();
    const std::uint64_t* u = v->if_uint64();
    std::int64_t hours = n ? *n : (u && *u <= static_cast<std::uint64_t>(ClassFilingLimits::hours_max) ? static_cast<std::int64_t>(*u) : -1);
    if ((!n && !u) || hours < 1 || hours > ClassFilingLimits::hours_max) {
      add_problem(problems, fields.pointer_of("hours"),
                  "must be a whole number of hours from 1 to " + std::to_string(ClassFilingLimits::hours_max));
    } else {
      filing.hours = static_cast<int>(hours);
    }
  }
  if (auto* v = fields.required("filed_on")) filed_on = read_date(*v, fields.pointer_of("filed_on"), problems);
  if (filed_on) filing.filed_on = *filed_on;
  if (filed_on && start && *start < *filed_on) {
    add_problem(problems, fields.pointer_of("filed_on"), "is after the class starts: a class is filed before it begins");
  }
  if (auto* v = fields.required("roster")) filing.roster = read_roster(*v, fields.pointer_of("roster"), problems);
  fields.finish();
  if (!problems.empty()) return problems;
  return filing;
}

json::object class_filing_json(const ClassFiling& filing) {
  json::array roster;
  for (const RosterEntry& e : filing.roster) roster.push_back(json::object{{"id_number", e.id_number.view()}, {"name", e.name}});
  return json::object{{"class_id", filing.class_id},
                      {"credit_code", filing.credit_code.view()},
                      {"project_code", filing.project_code},
                      {"start", format_date(filing.period.start)},
                      {"end", format_date(filing.period.end)},
                      {"hours", filing.hours},
                      {"filed_on", format_date(filing.filed_on)},
                      {"roster", std::move(roster)}};
}

}  // namespace subsidy
