#include "engine/ruleset_loader_common.h"

#include <algorithm>
#include <utility>

namespace subsidy::ruleset_loader {
namespace {

bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_char(char c) { return is_lower(c) || is_digit(c) || c == '_'; }

// True when `prefix` is `pointer` or a whole-token prefix of it ("/rules/1" of "/rules/1/id",
// not of "/rules/10").
bool covers(std::string_view prefix, std::string_view pointer) {
  return pointer.starts_with(prefix) && (pointer.size() == prefix.size() || pointer[prefix.size()] == '/');
}

}  // namespace

ErrorSink::ErrorSink(std::vector<RulesetLoadError>& out, std::string file_name)
    : out_(out), file_name_(std::move(file_name)) {}

void ErrorSink::set_rule(std::string rule_id) {
  flush();
  rule_id_ = std::move(rule_id);
}

void ErrorSink::add(const std::string& pointer, std::string message, std::size_t column) {
  flush();
  RulesetLoadError error{file_name_, rule_id_, pointer, column, std::move(message)};
  if (const PointerOrigin* origin = origin_of(pointer)) {
    error.file_name = origin->file_name;
    error.pointer = origin->original + pointer.substr(origin->prefix.size());
    if (origin->file_name != file_name_) error.message += " (as amended by " + file_name_ + ")";
  }
  out_.push_back(std::move(error));
  ++count_;
}

void ErrorSink::flush() {
  Problems pending;
  std::swap(pending, problems_);
  for (Problem& problem : pending) add(problem.pointer, std::move(problem.message));
}

void ErrorSink::add_origin(PointerOrigin origin) { origins_.push_back(std::move(origin)); }

std::string ErrorSink::original_pointer(const std::string& pointer) const {
  const PointerOrigin* origin = origin_of(pointer);
  return origin ? origin->original + pointer.substr(origin->prefix.size()) : pointer;
}

const PointerOrigin* ErrorSink::origin_of(const std::string& pointer) const {
  const PointerOrigin* best = nullptr;
  for (const PointerOrigin& origin : origins_) {
    if (covers(origin.prefix, pointer) && (!best || origin.prefix.size() >= best->prefix.size())) best = &origin;
  }
  return best;
}

bool is_lower_digit_name(std::string_view text, std::string_view extra) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [&](char c) {
    return is_lower(c) || is_digit(c) || extra.find(c) != std::string_view::npos;
  });
}

bool is_rule_id(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == 0 || dot == std::string_view::npos || text.size() > name_chars_max) return false;
  if (!std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(dot), is_lower)) return false;
  std::string_view rest = text.substr(dot);  // ".a_1.b2": every segment non-empty
  for (std::size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '.') {
      if (i + 1 == rest.size() || rest[i + 1] == '.') return false;
    } else if (!is_name_char(rest[i])) {
      return false;
    }
  }
  return true;
}

bool is_parameter_name(std::string_view text) {
  if (text.empty() || text.size() > name_chars_max || !is_lower(text.front()) || text.back() == '.') return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '.') {
      if (text[i + 1] == '.') return false;
    } else if (!is_name_char(text[i])) {
      return false;
    }
  }
  return true;
}

bool is_identifier(std::string_view text) {
  return !text.empty() && text.size() <= name_chars_max && is_lower(text.front()) &&
         std::all_of(text.begin(), text.end(), is_name_char);
}

}  // namespace subsidy::ruleset_loader
