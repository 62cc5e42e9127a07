#pragma once
// Check characters of Chinese identity codes.
// - Resident identity number, GB 11643-1999: 17 digits then a check character computed with
//   ISO 7064 MOD 11-2 ('0'-'9' or 'X').
// - Unified social credit code, GB 32100-2015: 18 characters from "0123456789ABCDEFGHJKLMNPQRTUWXY"
//   (no I, O, S, V, Z); the 18th is a MOD 31 check character over the first 17.

#include <optional>
#include <string_view>

namespace subsidy {

// The check character the first 17 characters call for, or nullopt if they are not of the form.
std::optional<char> resident_id_check_char(std::string_view first17);
std::optional<char> credit_code_check_char(std::string_view first17);

// What is wrong with a code, in a clerk's words, or nullopt when it is valid.
std::optional<std::string_view> resident_id_problem(std::string_view id_number);
std::optional<std::string_view> credit_code_problem(std::string_view credit_code);

}  // namespace subsidy
