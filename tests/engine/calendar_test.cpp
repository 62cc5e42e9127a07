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
