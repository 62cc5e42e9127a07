#include "audit/rfc3339.h"

#include <array>
#include <cstdio>

namespace subsidy::audit {
namespace {

// The number formed by text[pos, pos + length) if all of it is decimal digits, else -1.
int digits_at(std::string_view text, std::size_t pos, std::size_t length) {
  int value = 0;
  for (std::size_t i = pos; i < pos + length; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool valid_fraction_and_zone(std::string_view rest) {
  if (rest == "Z") return true;
  constexpr std::size_t fraction_digits_max = 9;  // nanoseconds
  if (rest.size() < 3 || rest.size() > fraction_digits_max + 2) return false;
  if (rest.front() != '.' || rest.back() != 'Z') return false;
  return digits_at(rest, 1, rest.size() - 2) >= 0;
}

}  // namespace

std::string format_rfc3339_utc(std::chrono::sys_seconds t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(t - day);
  std::array<char, 32> buffer{};
  std::snprintf(buffer.data(), buffer.size(), "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buffer.data();
}

bool is_rfc3339_utc(std::string_view text) {
  constexpr std::string_view shape = "dddd-dd-ddTdd:dd:dd";
  if (text.size() < shape.size() + 1) return false;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] != 'd' && text[i] != shape[i]) return false;
  }
  const int year = digits_at(text, 0, 4);
  const int month = digits_at(text, 5, 2);
  const int day = digits_at(text, 8, 2);
  const int hour = digits_at(text, 11, 2);
  const int minute = digits_at(text, 14, 2);
  const int second = digits_at(text, 17, 2);
  if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
      second > 60) {
    return false;
  }
  const std::chrono::year_month_day ymd{std::chrono::year(year),
                                        std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  return ymd.ok() && valid_fraction_and_zone(text.substr(shape.size()));
}

}  // namespace subsidy::audit
