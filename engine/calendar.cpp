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

}  // namespace subsidy
