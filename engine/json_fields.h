#pragma once
// Reading the typed fields of a JSON request body while collecting every problem (problem.h).
// Each read_* function returns the value when it is well-formed and otherwise appends one
// Problem at the given pointer and returns nothing; the caller keeps going, so one pass over a
// document finds all of its problems. Messages are short English phrases for a clerk.

#include "engine/calendar.h"
#include "engine/claim.h"
#include "engine/problem.h"
#include "engine/vocabulary.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

// The members of one JSON object, taken by name. A member that was never taken (required,
// optional or forbidden) is an unknown field: finish() reports it, so a typo such as `month`
// for `months` is never silently ignored.
class ObjectFields {
 public:
  // Reports "must be an object" at `pointer` when `value` is not one; every take then returns
  // nullptr and finish() reports nothing more.
  ObjectFields(const boost::json::value& value, std::string pointer, Problems& problems);
  ObjectFields(const ObjectFields&) = delete;
  ObjectFields& operator=(const ObjectFields&) = delete;

  bool is_object() const { return object_ != nullptr; }
  const std::string& pointer() const { return pointer_; }
  std::string pointer_of(std::string_view name) const { return pointer_append(pointer_, name); }

  // The member, or nullptr and "is required" when it is absent.
  const boost::json::value* required(std::string_view name);
  // The member, or nullptr when it is absent. A null member counts as present (a type error for
  // most fields), except through optional_nullable, where null means absent.
  const boost::json::value* optional(std::string_view name);
  const boost::json::value* optional_nullable(std::string_view name);
  // Reports `message` at the member when it is present.
  void forbid(std::string_view name, std::string_view message);
  // Reports every member that was not taken as "unknown field". Call once, after the takes.
  void finish();

 private:
  const boost::json::value* take(std::string_view name);

  static constexpr std::size_t taken_reserved = 16;  // more than any object of a claim has

  const boost::json::object* object_ = nullptr;
  std::string pointer_;
  Problems& problems_;
  std::vector<std::string_view> taken_;  // views of the caller's literals
};

void add_problem(Problems& problems, std::string pointer, std::string message);
// A document can be made to produce a problem per byte: keeps the first problems_max and says
// how many more there were, so that an answer stays bounded.
void bound_problems(Problems& problems, std::size_t problems_max);

std::optional<std::string_view> read_string(const boost::json::value& value,
                                            const std::string& pointer, Problems& problems);
std::optional<bool> read_bool(const boost::json::value& value, const std::string& pointer,
                              Problems& problems);
// "YYYY-MM-DD", a real calendar day with a year in [year_min, year_max].
std::optional<Date> read_date(const boost::json::value& value, const std::string& pointer,
                              Problems& problems);
// "YYYY-MM" with a year in [year_min, year_max].
std::optional<Month> read_month(const boost::json::value& value, const std::string& pointer,
                                Problems& problems);
// 1..chars_max characters of A-Z a-z 0-9 . _ - (claim ids, project codes).
std::optional<std::string_view> read_identifier(const boost::json::value& value,
                                                const std::string& pointer, std::size_t chars_max,
                                                Problems& problems);
// Free text of 1..bytes_max bytes of UTF-8 without control characters (names).
std::optional<std::string_view> read_text_bytes(const boost::json::value& value,
                                                const std::string& pointer, std::size_t bytes_max,
                                                Problems& problems);
// Free text of 1..chars_max Unicode characters without control characters (reference numbers).
// REQUIRES: the text is valid UTF-8 (read_json guarantees it).
std::optional<std::string_view> read_text_chars(const boost::json::value& value,
                                                const std::string& pointer, std::size_t chars_max,
                                                Problems& problems);
// Exactly 64 lowercase hexadecimal characters.
std::optional<std::string_view> read_sha256(const boost::json::value& value,
                                            const std::string& pointer, Problems& problems);
// A resident ID number (GB 11643) or unified social credit code (GB 32100), check character
// included (identity.h).
std::optional<IdNumber> read_resident_id(const boost::json::value& value,
                                         const std::string& pointer, Problems& problems);
std::optional<CreditCode> read_credit_code(const boost::json::value& value,
                                           const std::string& pointer, Problems& problems);
// An array of items_min..items_max items. A longer array is reported and not returned, so that
// the work done on a document stays bounded by the limits rather than by its size.
const boost::json::array* read_array(const boost::json::value& value, const std::string& pointer,
                                     std::size_t items_min, std::size_t items_max,
                                     Problems& problems);

// "unknown program \"x\" (allowed: a, b, c)" for a name outside the vocabulary.
std::string unknown_name_message(std::string_view what, std::string_view name,
                                 const std::string_view* names, std::size_t count);

// One member of a closed vocabulary (vocabulary.h); `what` names it in the message ("program").
template <class Enum>
std::optional<Enum> read_enum(const boost::json::value& value, const std::string& pointer,
                              std::string_view what, Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (auto parsed = parse_enum<Enum>(*text)) return parsed;
  const auto& names = VocabularyTraits<Enum>::names;
  add_problem(problems, pointer, unknown_name_message(what, *text, names.data(), names.size()));
  return std::nullopt;
}

}  // namespace subsidy
