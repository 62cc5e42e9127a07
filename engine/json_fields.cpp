#include "engine/json_fields.h"

#include "engine/identity.h"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <utility>

namespace subsidy {
namespace json = boost::json;
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when text has digits everywhere except '-' at the given positions: the shape of
// "YYYY-MM-DD" and "YYYY-MM", checked apart from the calendar so the message can say which is
// wrong, the form or the day.
bool has_shape(std::string_view text, std::string_view shape) {
  if (text.size() != shape.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (shape[i] == '-' ? text[i] != '-' : !is_digit(text[i])) return false;
  }
  return true;
}

bool year_in_range(std::string_view text) {
  int year = 0;
  for (char c : text.substr(0, 4)) year = year * 10 + (c - '0');
  return year >= year_min && year <= year_max;
}

std::string year_range_message() {
  return "year must be between " + std::to_string(year_min) + " and " + std::to_string(year_max);
}

bool is_identifier_char(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '_' ||
         c == '-';
}

// C0 controls and DEL: a name or reference number carrying one would corrupt a report line.
bool has_control_char(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

std::size_t utf8_chars(std::string_view text) {
  // Every character has exactly one byte that is not a continuation byte (10xxxxxx).
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::optional<std::string_view> check_text_size(std::string_view text, std::size_t size,
                                                std::size_t size_max, std::string_view unit,
                                                const std::string& pointer, Problems& problems) {
  if (text.empty()) {
    add_problem(problems, pointer, "must not be empty");
  } else if (size > size_max) {
    add_problem(problems, pointer,
                "must be at most " + std::to_string(size_max) + " " + std::string(unit));
  } else if (has_control_char(text)) {
    add_problem(problems, pointer, "must not contain control characters");
  } else {
    return text;
  }
  return std::nullopt;
}

std::string items(std::size_t n) { return std::to_string(n) + (n == 1 ? " item" : " items"); }

// Echoing a client's text back is useful for a clerk only when it is short.
constexpr std::size_t echoed_bytes_max = 64;

}  // namespace

void add_problem(Problems& problems, std::string pointer, std::string message) {
  problems.push_back(Problem{std::move(pointer), std::move(message)});
}

void bound_problems(Problems& problems, std::size_t problems_max) {
  if (problems.size() <= problems_max) return;
  std::size_t more = problems.size() - problems_max;
  problems.resize(problems_max);
  add_problem(problems, "", "and " + std::to_string(more) + " more problems");
}

ObjectFields::ObjectFields(const json::value& value, std::string pointer, Problems& problems)
    : object_(value.if_object()), pointer_(std::move(pointer)), problems_(problems) {
  taken_.reserve(taken_reserved);  // one allocation instead of one per doubling
  if (!object_) add_problem(problems_, pointer_, "must be an object");
}

const json::value* ObjectFields::take(std::string_view name) {
  taken_.push_back(name);
  if (!object_) return nullptr;
  auto it = object_->find(json::string_view(name.data(), name.size()));
  return it == object_->end() ? nullptr : &it->value();
}

const json::value* ObjectFields::required(std::string_view name) {
  const json::value* member = take(name);
  if (!member && object_) add_problem(problems_, pointer_of(name), "is required");
  return member;
}

const json::value* ObjectFields::optional(std::string_view name) { return take(name); }

const json::value* ObjectFields::optional_nullable(std::string_view name) {
  const json::value* member = take(name);
  return member && member->is_null() ? nullptr : member;
}

void ObjectFields::forbid(std::string_view name, std::string_view message) {
  if (take(name)) add_problem(problems_, pointer_of(name), std::string(message));
}

void ObjectFields::finish() {
  if (!object_) return;
  for (const auto& member : *object_) {
    std::string_view key(member.key().data(), member.key().size());
    if (std::find(taken_.begin(), taken_.end(), key) == taken_.end()) {
      add_problem(problems_, pointer_of(key), "unknown field");
    }
  }
}

std::optional<std::string_view> read_string(const json::value& value, const std::string& pointer,
                                            Problems& problems) {
  if (const json::string* s = value.if_string()) return std::string_view(s->data(), s->size());
  add_problem(problems, pointer, "must be a string");
  return std::nullopt;
}

std::optional<bool> read_bool(const json::value& value, const std::string& pointer,
                              Problems& problems) {
  if (const bool* b = value.if_bool()) return *b;
  add_problem(problems, pointer, "must be true or false");
  return std::nullopt;
}

std::optional<Date> read_date(const json::value& value, const std::string& pointer,
                              Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (auto date = parse_date(*text)) return date;
  if (!has_shape(*text, "0000-00-00")) {
    add_problem(problems, pointer, "must be a date in the form YYYY-MM-DD");
  } else if (!year_in_range(*text)) {
    add_problem(problems, pointer, year_range_message());
  } else {
    add_problem(problems, pointer, "is not a real calendar date");
  }
  return std::nullopt;
}

std::optional<Month> read_month(const json::value& value, const std::string& pointer,
                                Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (auto month = parse_month(*text)) return month;
  if (!has_shape(*text, "0000-00")) {
    add_problem(problems, pointer, "must be a month in the form YYYY-MM");
  } else if (!year_in_range(*text)) {
    add_problem(problems, pointer, year_range_message());
  } else {
    add_problem(problems, pointer, "month must be between 01 and 12");
  }
  return std::nullopt;
}

std::optional<std::string_view> read_identifier(const json::value& value,
                                                const std::string& pointer, std::size_t chars_max,
                                                Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (!text->empty() && text->size() <= chars_max &&
      std::all_of(text->begin(), text->end(), is_identifier_char)) {
    return text;
  }
  add_problem(problems, pointer,
              "must be 1-" + std::to_string(chars_max) + " characters of A-Z a-z 0-9 . _ -");
  return std::nullopt;
}

std::optional<std::string_view> read_text_bytes(const json::value& value,
                                                const std::string& pointer, std::size_t bytes_max,
                                                Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  return check_text_size(*text, text->size(), bytes_max, "bytes of UTF-8", pointer, problems);
}

std::optional<std::string_view> read_text_chars(const json::value& value,
                                                const std::string& pointer, std::size_t chars_max,
                                                Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  return check_text_size(*text, utf8_chars(*text), chars_max, "characters", pointer, problems);
}

std::optional<std::string_view> read_sha256(const json::value& value, const std::string& pointer,
                                            Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  bool ok = text->size() == 64 && std::all_of(text->begin(), text->end(), [](char c) {
              return is_digit(c) || (c >= 'a' && c <= 'f');
            });
  if (ok) return text;
  add_problem(problems, pointer, "must be 64 lowercase hexadecimal characters");
  return std::nullopt;
}

std::optional<IdNumber> read_resident_id(const json::value& value, const std::string& pointer,
                                         Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (auto problem = resident_id_problem(*text)) {
    add_problem(problems, pointer, std::string(*problem));
    return std::nullopt;
  }
  return IdNumber(*text);
}

std::optional<CreditCode> read_credit_code(const json::value& value, const std::string& pointer,
                                           Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  if (auto problem = credit_code_problem(*text)) {
    add_problem(problems, pointer, std::string(*problem));
    return std::nullopt;
  }
  return CreditCode(*text);
}

const json::array* read_array(const json::value& value, const std::string& pointer,
                              std::size_t items_min, std::size_t items_max, Problems& problems) {
  const json::array* array = value.if_array();
  if (!array) {
    add_problem(problems, pointer, "must be an array");
  } else if (array->size() < items_min) {
    add_problem(problems, pointer, "must have at least " + items(items_min));
  } else if (array->size() > items_max) {
    add_problem(problems, pointer, "must have at most " + items(items_max));
  } else {
    return array;
  }
  return nullptr;
}

std::string unknown_name_message(std::string_view what, std::string_view name,
                                 const std::string_view* names, std::size_t count) {
  std::string message = "unknown " + std::string(what);
  if (name.size() <= echoed_bytes_max) {
    message += ' ';
    message += json::serialize(json::string_view(name.data(), name.size()));
  }
  message += " (allowed: ";
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) message += ", ";
    message += names[i];
  }
  message += ')';
  return message;
}

}  // namespace subsidy
