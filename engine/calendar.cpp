#include "engine/calendar.h"

#include <algorithm>

namespace subsidy {
namespace {

bool parse_digits(std::string_view text, std::size_t pos, std::size_t count, int& out) {
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

void append_padded(std::string& out, int value, int width) {
  std::string digits = std::to_string(value);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

}  // namespace

Month Month::of(Date d) { return from_year_month(d.year(), d.month()); }

Date Month::first_day() const {
  return Date(static_cast<unsigned short>(year()), static_cast<unsigned short>(month()), 1);
}

Date Month::last_day() const { return first_day().end_of_month(); }

std::string Month::to_string() const {
  std::string out;
  out.reserve(7);
  append_padded(out, year(), 4);
  out += '-';
  append_padded(out, month(), 2);
  return out;
}

std::optional<Date> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (!parse_digits(text, 0, 4, y) || !parse_digits(text, 5, 2, m) || !parse_digits(text, 8, 2, d)) {
    return std::nullopt;
  }
  if (y < year_min || y > year_max || m < 1 || m > 12 || d < 1) return std::nullopt;
  int days = boost::gregorian::gregorian_calendar::end_of_month_day(
      static_cast<unsigned short>(y), static_cast<unsigned short>(m));
  if (d > days) return std::nullopt;
  return Date(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
}

std::optional<Month> parse_month(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  int y = 0, m = 0;
  if (!parse_digits(text, 0, 4, y) || !parse_digits(text, 5, 2, m)) return std::nullopt;
  if (y < year_min || y > year_max || m < 1 || m > 12) return std::nullopt;
  return Month::from_year_month(y, m);
}

std::string format_date(Date d) {
  std::string out;
  out.reserve(10);
  append_padded(out, d.year(), 4);
  out += '-';
  append_padded(out, d.month(), 2);
  out += '-';
  append_padded(out, d.day(), 2);
  return out;
}

Date add_months(Date d, int months) {
  Month target = Month::from_index(Month::of(d).index() + months);
  int last = target.last_day().day();
  int day = std::min<int>(d.day(), last);
  return Date(static_cast<unsigned short>(target.year()), static_cast<unsigned short>(target.month()),
              static_cast<unsigned short>(day));
}

// Howard Hinnant's civil-date algorithms (days since 1970-01-01), shifted to Julian day numbers.
namespace {
constexpr std::int64_t julian_day_of_1970_01_01 = 2440588;
}  // namespace

CivilDay civil_from_day_number(std::int64_t day_number) {
  std::int64_t z = day_number - julian_day_of_1970_01_01 + 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  int year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

std::int64_t day_number_from_civil(int year, int month, int day) {
  std::int64_t y = year - (month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468 + julian_day_of_1970_01_01;
}

int days_in_month(int year, int month) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[month - 1];
}

std::int64_t add_months_to_day_number(std::int64_t day_number, int months) {
  CivilDay c = civil_from_day_number(day_number);
  int index = c.year * 12 + (c.month - 1) + months;
  int year = index / 12;
  int month = index % 12 + 1;
  return day_number_from_civil(year, month, std::min(c.day, days_in_month(year, month)));
}

// Day number 0 (the Julian day number's epoch) is a Monday, so day d is a weekday when d % 7 < 5.
std::int64_t working_days_between(std::int64_t from_day_number, std::int64_t to_day_number) {
  if (to_day_number <= from_day_number) return 0;
  auto weekdays_before = [](std::int64_t d) { return d / 7 * 5 + std::min<std::int64_t>(d % 7, 5); };
  return weekdays_before(to_day_number) - weekdays_before(from_day_number);
}

}  // namespace subsidy
