#pragma once
// Dates are Boost.Gregorian dates; a Month is a calendar month ("YYYY-MM") as one integer so that
// months compare, hash and step cheaply.

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace subsidy {

using Date = boost::gregorian::date;

class Month {
 public:
  constexpr Month() = default;
  static constexpr Month from_year_month(int year, int month) { return Month(year * 12 + (month - 1)); }
  static constexpr Month from_index(std::int32_t index) { return Month(index); }
  static Month of(Date d);

  constexpr int year() const { return index_ / 12; }
  constexpr int month() const { return index_ % 12 + 1; }
  constexpr std::int32_t index() const { return index_; }
  Date first_day() const;
  Date last_day() const;
  std::string to_string() const;  // "YYYY-MM"

  constexpr auto operator<=>(const Month&) const = default;

 private:
  constexpr explicit Month(std::int32_t index) : index_(index) {}
  std::int32_t index_ = 0;
};

// Years outside this range are not plausible in a claim and are rejected by the parsers.
inline constexpr int year_min = 1900;
inline constexpr int year_max = 2999;

// Strict "YYYY-MM-DD" (exactly 10 characters, a real calendar day); nullopt otherwise.
std::optional<Date> parse_date(std::string_view text);
// Strict "YYYY-MM"; nullopt otherwise.
std::optional<Month> parse_month(std::string_view text);
std::string format_date(Date d);  // "YYYY-MM-DD"

// d + n calendar months, keeping the day number or, when the target month is shorter, its last
// day (2019-08-31 + 6 months = 2020-02-29).
Date add_months(Date d, int months);

// The same calendar on plain day numbers (Date::day_number(), the Julian day number), without
// Boost's range-checked year/month/day objects: the rule evaluator's hot path uses these.
struct CivilDay {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};
CivilDay civil_from_day_number(std::int64_t day_number);
std::int64_t day_number_from_civil(int year, int month, int day);
int days_in_month(int year, int month);
std::int64_t add_months_to_day_number(std::int64_t day_number, int months);
// Mondays to Fridays among the days [from, to), 0 when to <= from: working days with no holiday
// calendar (registry.md: a class filing's lead time).
std::int64_t working_days_between(std::int64_t from_day_number, std::int64_t to_day_number);

}  // namespace subsidy
