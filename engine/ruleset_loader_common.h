#pragma once
// Private to the ruleset loader (ruleset_set.cpp and ruleset_loader_*.cpp): the limits a ruleset
// file must respect, and the sink that collects every load error with its file, rule and place.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/problem.h"
#include "engine/ruleset_set.h"

namespace subsidy::ruleset_loader {

// Limits on a ruleset file. A ruleset is a policy document, not a database: these bound the
// work of a load and the sizes of the indices (parameter indices are 16-bit in compiled code).
inline constexpr std::size_t file_bytes_max = 4 * 1024 * 1024;
inline constexpr std::size_t sources_max = 64;
inline constexpr std::size_t ruleset_id_chars_max = 64;
inline constexpr std::size_t name_chars_max = 64;         // parameter, definition, rule and arg names
inline constexpr std::size_t short_text_bytes_max = 256;  // version, unit, file names
inline constexpr std::size_t text_bytes_max = 8192;       // titles, clauses, quotes, notes, messages
inline constexpr std::size_t notes_max = 64;
inline constexpr std::size_t parameters_max = 512;
inline constexpr std::size_t parameter_values_max = 128;  // dated values of one parameter
inline constexpr std::size_t definitions_max = 256;
inline constexpr std::size_t rules_max = ruleset_rules_max;  // ruleset.h: the evaluator sizes by it
inline constexpr std::size_t target_mappings_max = 256;
inline constexpr int target_task_min = 1;
inline constexpr int target_task_max = 22;  // the attachment's 22 tasks
inline constexpr std::size_t registration_prefixes_max = 32;
inline constexpr std::int64_t int_parameter_abs_max = 1'000'000'000;
inline constexpr std::int64_t percent_max = 100;
static_assert(parameters_max <= 0xffff, "parameter indices are 16-bit in compiled programs");

// Where a part of a merged (amended) document came from: the JSON Pointer `prefix` in the merged
// document is `original` in `file_name`.
struct PointerOrigin {
  std::string prefix;
  std::string file_name;
  std::string original;
};

// Collects the errors of one document. Readers from engine/json_fields.h append to problems();
// they are turned into RulesetLoadErrors, tagged with the current rule, at the next add(),
// set_rule() or flush(). Pointers are translated through the origins, so an error in a part of
// an amended document that came from the base file names the base file.
class ErrorSink {
 public:
  ErrorSink(std::vector<RulesetLoadError>& out, std::string file_name);

  const std::string& file_name() const { return file_name_; }
  Problems& problems() { return problems_; }
  void set_rule(std::string rule_id);
  void add(const std::string& pointer, std::string message, std::size_t column = 0);
  void flush();
  // The number of errors found in this document so far (after a flush).
  std::size_t count() const { return count_; }

  // Of two origins for the same prefix, the later one wins.
  void add_origin(PointerOrigin origin);
  // `pointer` as it reads in the file it came from, and that file.
  std::string original_pointer(const std::string& pointer) const;

 private:
  const PointerOrigin* origin_of(const std::string& pointer) const;

  std::vector<RulesetLoadError>& out_;
  std::string file_name_;
  std::string rule_id_;
  Problems problems_;
  std::vector<PointerOrigin> origins_;
  std::size_t count_ = 0;
};

// Text helpers shared by the readers.
bool is_lower_digit_name(std::string_view text, std::string_view extra);  // [a-z0-9 + extra]+
bool is_rule_id(std::string_view text);                                   // ^[a-z]+(\.[a-z0-9_]+)+$
bool is_parameter_name(std::string_view text);                            // [a-z][a-z0-9_]*(\.[a-z0-9_]+)*
bool is_identifier(std::string_view text);                                // [a-z][a-z0-9_]* (definitions, args)

}  // namespace subsidy::ruleset_loader
