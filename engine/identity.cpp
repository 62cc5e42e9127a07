#include "engine/identity.h"

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include <array>
#include <cstddef>

namespace subsidy {
namespace {

constexpr std::size_t code_chars = 18;

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool all_digits(std::string_view text) {
  for (char c : text) {
    if (!is_digit(c)) return false;
  }
  return true;
}

int digits_value(std::string_view text) {
  int value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// The birth date of a resident ID (characters 7-14, YYYYMMDD). The range is wider than the
// calendar's year_min: numbers issued to people born before 1900 are real (the published vector
// 440524188001010014 was born in 1880), and the number's own date is not a date of the claim.
constexpr int birth_year_min = 1800;
constexpr int birth_year_max = 2999;

bool is_real_birth_date(std::string_view yyyymmdd) {
  int year = digits_value(yyyymmdd.substr(0, 4));
  int month = digits_value(yyyymmdd.substr(4, 2));
  int day = digits_value(yyyymmdd.substr(6, 2));
  if (year < birth_year_min || year > birth_year_max || month < 1 || month > 12 || day < 1) {
    return false;
  }
  int days = boost::gregorian::gregorian_calendar::end_of_month_day(
      static_cast<unsigned short>(year), static_cast<unsigned short>(month));
  return day <= days;
}

// GB 32100-2015: the 31 characters of a credit code, in the order of their values.
constexpr std::string_view credit_charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::array<int, 17> credit_weights = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                                29, 25, 13, 8,  24, 10, 30, 28};

int credit_char_value(char c) {
  std::size_t pos = credit_charset.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

bool is_lowercase_letter(char c) { return c >= 'a' && c <= 'z'; }

}  // namespace

std::optional<char> resident_id_check_char(std::string_view first17) {
  if (first17.size() != code_chars - 1 || !all_digits(first17)) return std::nullopt;
  // ISO 7064 MOD 11-2: the weight of position i (0-based, left to right) is 2^(17-i) mod 11.
  int sum = 0;
  int weight = 1;  // 2^0, the weight of the check character itself
  for (std::size_t i = first17.size(); i-- > 0;) {
    weight = weight * 2 % 11;
    sum += (first17[i] - '0') * weight;
  }
  int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

std::optional<char> credit_code_check_char(std::string_view first17) {
  if (first17.size() != code_chars - 1) return std::nullopt;
  int sum = 0;
  for (std::size_t i = 0; i < first17.size(); ++i) {
    int value = credit_char_value(first17[i]);
    if (value < 0) return std::nullopt;
    sum += value * credit_weights[i];
  }
  int check = (31 - sum % 31) % 31;
  return credit_charset[static_cast<std::size_t>(check)];
}

// The check character is reported as wrong without saying which one was expected: it exists to
// catch a mistyped digit elsewhere, and a clerk told the "right" check character would be
// tempted to change it rather than find the real typo.
std::optional<std::string_view> resident_id_problem(std::string_view id_number) {
  if (id_number.size() != code_chars) return "must be 18 characters";
  if (!all_digits(id_number.substr(0, 17))) return "characters 1-17 must be digits";
  char last = id_number[17];
  if (last == 'x') return "check character must be an uppercase 'X'";
  if (!is_digit(last) && last != 'X') return "character 18 must be a digit or 'X'";
  if (!is_real_birth_date(id_number.substr(6, 8))) {
    return "birth date in the number is not a real date";
  }
  if (resident_id_check_char(id_number.substr(0, 17)) != last) return "check character is wrong";
  return std::nullopt;
}

std::optional<std::string_view> credit_code_problem(std::string_view credit_code) {
  if (credit_code.size() != code_chars) return "must be 18 characters";
  for (char c : credit_code) {
    if (is_lowercase_letter(c)) return "letters must be uppercase";
    if (credit_char_value(c) < 0) {
      return "characters must be digits or uppercase letters other than I, O, S, V, Z";
    }
  }
  if (credit_code_check_char(credit_code.substr(0, 17)) != credit_code[17]) {
    return "check character is wrong";
  }
  return std::nullopt;
}

}  // namespace subsidy
