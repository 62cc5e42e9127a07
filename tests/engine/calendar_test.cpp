#include "engine/calendar.h"

#include <doctest/doctest.h>

using namespace subsidy;

TEST_CASE("dates parse strictly") {
  CHECK(parse_date("2020-02-29").has_value());
  CHECK_FALSE(parse_date("2019-02-29").has_value());
  CHECK_FALSE(parse_date("2020-02-30").has_value());
  CHECK_FALSE(parse_date("2020-13-01").has_value());
  CHECK_FALSE(parse_date("2020-1-01").has_value());
  CHECK_FALSE(parse_date("2020-01-01T00").has_value());
  CHECK_FALSE(parse_date("+020-01-01").has_value());
  CHECK_FALSE(parse_date("1899-12-31").has_value());
  CHECK(format_date(*parse_date("2019-09-07")) == "2019-09-07");
}

TEST_CASE("months parse strictly and know their days") {
  auto m = parse_month("2020-02");
  REQUIRE(m.has_value());
  CHECK(m->year() == 2020);
  CHECK(m->month() == 2);
  CHECK(format_date(m->last_day()) == "2020-02-29");
  CHECK(format_date(m->first_day()) == "2020-02-01");
  CHECK(m->to_string() == "2020-02");
  CHECK_FALSE(parse_month("2020-00").has_value());
  CHECK_FALSE(parse_month("2020-2").has_value());
  CHECK_FALSE(parse_month("2020-02-01").has_value());
  CHECK(*parse_month("2019-12") < *parse_month("2020-01"));
  CHECK(Month::of(*parse_date("2019-12-31")) == *parse_month("2019-12"));
}

TEST_CASE("adding calendar months keeps the day or clamps to the month's end") {
  CHECK(format_date(add_months(*parse_date("2020-02-01"), 6)) == "2020-08-01");
  CHECK(format_date(add_months(*parse_date("2019-08-31"), 6)) == "2020-02-29");
  CHECK(format_date(add_months(*parse_date("2019-12-15"), 1)) == "2020-01-15");
  CHECK(format_date(add_months(*parse_date("2020-03-31"), -1)) == "2020-02-29");
}

TEST_CASE("day-number arithmetic agrees with Boost.Gregorian on every day from 1900 to 2999") {
  Date d(1900, 1, 1);
  Date end(2999, 12, 31);
  int mismatches = 0;
  for (; d <= end; d += boost::gregorian::days(1)) {
    auto n = static_cast<std::int64_t>(d.day_number());
    CivilDay c = civil_from_day_number(n);
    if (c.year != d.year() || c.month != d.month() || c.day != d.day()) ++mismatches;
    if (day_number_from_civil(d.year(), d.month(), d.day()) != n) ++mismatches;
    if (d.day() == 31 || d.day() == 1) {
      if (add_months_to_day_number(n, 6) != static_cast<std::int64_t>(add_months(d, 6).day_number())) ++mismatches;
      if (add_months_to_day_number(n, -13) != static_cast<std::int64_t>(add_months(d, -13).day_number())) ++mismatches;
    }
  }
  CHECK(mismatches == 0);
  CHECK(days_in_month(2000, 2) == 29);
  CHECK(days_in_month(1900, 2) == 28);
}

TEST_CASE("working days count Monday to Friday from the first day up to the day before the last / and agree with Boost") {
  auto day = [](const char* text) { return static_cast<std::int64_t>(subsidy::parse_date(text)->day_number()); };
  // Monday 2020-06-29 to Monday 2020-07-13: two full weeks.
  CHECK(subsidy::working_days_between(day("2020-06-29"), day("2020-07-13")) == 10);
  CHECK(subsidy::working_days_between(day("2020-06-30"), day("2020-07-13")) == 9);
  CHECK(subsidy::working_days_between(day("2020-06-27"), day("2020-07-13")) == 10);  // from a Saturday
  CHECK(subsidy::working_days_between(day("2020-07-13"), day("2020-07-13")) == 0);
  CHECK(subsidy::working_days_between(day("2020-07-14"), day("2020-07-13")) == 0);
  // Every window of up to 40 days starting on each day of 2019-2021 against a day-by-day count.
  boost::gregorian::date first(2019, 1, 1), last(2021, 12, 31);
  for (boost::gregorian::date d = first; d <= last; d += boost::gregorian::days(1)) {
    std::int64_t count = 0;
    for (int span = 0; span <= 40; ++span) {
      boost::gregorian::date to = d + boost::gregorian::days(span);
      REQUIRE(subsidy::working_days_between(d.day_number(), to.day_number()) == count);
      int weekday = to.day_of_week().as_number();  // 0 = Sunday
      if (weekday != 0 && weekday != 6) ++count;
    }
  }
}
