#include "engine/ruleset_loader_parameters.h"

#include <algorithm>
#include <array>
#include <boost/json/object.hpp>
#include <cassert>
#include <cstdint>
#include <string_view>

#include "engine/json_fields.h"
#include "engine/money.h"

namespace subsidy::ruleset_loader {
namespace {

namespace json = boost::json;
using expr::BaseType;
using expr::Value;

enum class Kind : std::uint8_t {
  fen,
  integer,
  percent,
  boolean,
  date,
  scope,
  line_effect,
  categories,
  entity_types,
  evidence_kinds,
  registration_types
};

struct KindInfo {
  std::string_view name;
  Kind kind;
  BaseType base;
};

// The parameter types a file may declare, and the expression type each becomes.
constexpr std::array<KindInfo, 11> kinds = {{
    {"fen", Kind::fen, BaseType::fen},
    {"int", Kind::integer, BaseType::integer},
    {"percent", Kind::percent, BaseType::integer},
    {"bool", Kind::boolean, BaseType::boolean},
    {"date", Kind::date, BaseType::date},
    {"scope", Kind::scope, BaseType::scope},
    {"line_effect", Kind::line_effect, BaseType::line_effect},
    {"categories", Kind::categories, BaseType::category_set},
    {"entity_types", Kind::entity_types, BaseType::entity_type_set},
    {"evidence_kinds", Kind::evidence_kinds, BaseType::evidence_kind_set},
    {"registration_types", Kind::registration_types, BaseType::registration_map},
}};

std::string_view key_of(const json::key_value_pair& member) { return {member.key().data(), member.key().size()}; }

const KindInfo* read_kind(const json::value& value, const std::string& pointer, Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return nullptr;
  for (const KindInfo& k : kinds) {
    if (k.name == *text) return &k;
  }
  std::array<std::string_view, kinds.size()> names{};
  std::transform(kinds.begin(), kinds.end(), names.begin(), [](const KindInfo& k) { return k.name; });
  add_problem(problems, pointer, unknown_name_message("parameter type", *text, names.data(), names.size()));
  return nullptr;
}

std::optional<Value> read_integer(const json::value& value, const std::string& pointer, std::int64_t min,
                                  std::int64_t max, Problems& problems) {
  if (!value.is_int64() && !value.is_uint64()) {
    add_problem(problems, pointer, "must be an integer");
    return std::nullopt;
  }
  if (value.is_int64() && value.get_int64() >= min && value.get_int64() <= max) return value.get_int64();
  add_problem(problems, pointer, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return std::nullopt;
}

template <class Enum>
std::optional<Value> read_set(const json::value& value, const std::string& pointer, std::string_view what,
                              Problems& problems) {
  constexpr std::size_t names_count = VocabularyTraits<Enum>::names.size();
  const json::array* items = read_array(value, pointer, 0, names_count, problems);
  if (!items) return std::nullopt;
  EnumSet<Enum> set;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto e = read_enum<Enum>((*items)[i], item_pointer, what, problems);
    if (e && set.contains(*e)) add_problem(problems, item_pointer, "is listed twice");
    if (!e || set.contains(*e)) ok = false;
    if (e) set.insert(*e);
  }
  if (!ok) return std::nullopt;
  return static_cast<Value>(set.bits());
}

// Two characters of a unified social credit code: registering authority and kind (GB 32100).
bool is_registration_prefix(std::string_view text) {
  return text.size() == 2 &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'); });
}

bool read_prefixes(const json::value& value, const std::string& pointer, std::vector<std::string>& out,
                   Problems& problems) {
  const json::array* items = read_array(value, pointer, 0, registration_prefixes_max, problems);
  if (!items) return false;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto text = read_string((*items)[i], item_pointer, problems);
    if (!text) {
      ok = false;
    } else if (!is_registration_prefix(*text)) {
      add_problem(problems, item_pointer, "must be two characters 0-9 A-Z");
      ok = false;
    } else if (std::find(out.begin(), out.end(), *text) != out.end()) {
      add_problem(problems, item_pointer, "is listed twice");
      ok = false;
    } else {
      out.emplace_back(*text);
    }
  }
  return ok;
}

std::optional<Value> read_registration_map(const json::value& value, const std::string& pointer, Parameter& parameter,
                                           Problems& problems) {
  const json::object* object = value.if_object();
  if (!object) {
    add_problem(problems, pointer, "must be an object: entity type -> list of credit-code prefixes");
    return std::nullopt;
  }
  RegistrationMap map;
  std::array<bool, entity_type_names.size()> seen{};
  bool ok = true;
  for (const auto& member : *object) {
    std::string member_pointer = pointer_append(pointer, key_of(member));
    auto type = parse_enum<EntityType>(key_of(member));
    if (!type) {
      add_problem(
          problems, member_pointer,
          unknown_name_message("entity type", key_of(member), entity_type_names.data(), entity_type_names.size()));
      ok = false;
      continue;
    }
    seen[static_cast<std::size_t>(*type)] = true;
    ok = read_prefixes(member.value(), member_pointer, map[static_cast<std::size_t>(*type)], problems) && ok;
  }
  std::string missing;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) missing += (missing.empty() ? "" : ", ") + std::string(entity_type_names[i]);
  }
  if (!missing.empty())
    add_problem(problems, pointer, "must list every entity type (use [] for none); missing: " + missing);
  if (!ok || !missing.empty()) return std::nullopt;
  parameter.registration_maps.push_back(std::move(map));
  return static_cast<Value>(reinterpret_cast<std::intptr_t>(&parameter.registration_maps.back()));
}

std::optional<Value> read_date_value(const json::value& value, const std::string& pointer, Problems& problems) {
  auto d = read_date(value, pointer, problems);
  if (!d) return std::nullopt;
  return static_cast<Value>(d->day_number());
}

std::optional<Value> read_value(Kind kind, const json::value& value, const std::string& pointer, Parameter& parameter,
                                Problems& problems) {
  switch (kind) {
    case Kind::fen:
      return read_integer(value, pointer, 0, fen_input_max, problems);
    case Kind::integer:
      return read_integer(value, pointer, -int_parameter_abs_max, int_parameter_abs_max, problems);
    case Kind::percent:
      return read_integer(value, pointer, 0, percent_max, problems);
    case Kind::boolean: {
      auto b = read_bool(value, pointer, problems);
      return b ? std::optional<Value>(*b ? 1 : 0) : std::nullopt;
    }
    case Kind::date:
      return read_date_value(value, pointer, problems);
    case Kind::scope: {
      auto s = read_enum<Scope>(value, pointer, "scope", problems);
      return s ? std::optional<Value>(static_cast<Value>(*s)) : std::nullopt;
    }
    case Kind::line_effect: {
      auto e = read_enum<LineEffect>(value, pointer, "line effect", problems);
      return e ? std::optional<Value>(static_cast<Value>(*e)) : std::nullopt;
    }
    case Kind::categories:
      return read_set<Category>(value, pointer, "category", problems);
    case Kind::entity_types:
      return read_set<EntityType>(value, pointer, "entity type", problems);
    case Kind::evidence_kinds:
      return read_set<EvidenceKind>(value, pointer, "evidence kind", problems);
    case Kind::registration_types:
      return read_registration_map(value, pointer, parameter, problems);
  }
  return std::nullopt;
}

// One dated value: {value, clause, quote, note?}.
void read_dated_value(Kind kind, Date from, const json::value& entry, const std::string& pointer, Parameter& parameter,
                      Problems& problems) {
  ObjectFields fields(entry, pointer, problems);
  const json::value* value = fields.required("value");
  const json::value* clause = fields.required("clause");
  const json::value* quote = fields.required("quote");
  const json::value* note = fields.optional("note");
  fields.finish();
  ParameterValue out;
  out.from = from;
  auto v = value ? read_value(kind, *value, fields.pointer_of("value"), parameter, problems) : std::nullopt;
  auto c = clause ? read_text_bytes(*clause, fields.pointer_of("clause"), text_bytes_max, problems) : std::nullopt;
  auto q = quote ? read_text_bytes(*quote, fields.pointer_of("quote"), text_bytes_max, problems) : std::nullopt;
  auto n = note ? read_text_bytes(*note, fields.pointer_of("note"), text_bytes_max, problems) : std::nullopt;
  if (!v || !c || !q || (note && !n)) return;
  out.value = *v;
  out.source = ClauseRef{std::string(*c), std::string(*q)};
  if (n) out.note = std::string(*n);
  parameter.values.push_back(std::move(out));
}

void read_values(Kind kind, const json::value& value, const std::string& pointer, std::optional<Date> effective_from,
                 Parameter& parameter, Problems& problems) {
  const json::object* object = value.if_object();
  if (!object || object->empty() || object->size() > parameter_values_max) {
    add_problem(
        problems, pointer,
        "must be an object of 1 to " + std::to_string(parameter_values_max) + " dated values (\"YYYY-MM-DD\": {...})");
    return;
  }
  for (const auto& member : *object) {
    std::string member_pointer = pointer_append(pointer, key_of(member));
    auto from = parse_date(key_of(member));
    if (!from)
      add_problem(problems, member_pointer, "the key must be the date the value takes effect, YYYY-MM-DD");
    else
      read_dated_value(kind, *from, member.value(), member_pointer, parameter, problems);
  }
  std::sort(parameter.values.begin(), parameter.values.end(),
            [](const ParameterValue& a, const ParameterValue& b) { return a.from < b.from; });
  if (parameter.values.size() != object->size() || !effective_from) return;
  Date first = parameter.values.front().from;
  if (first > *effective_from) {
    add_problem(problems, pointer_append(pointer, format_date(first)),
                "the first value takes effect on " + format_date(first) + ", after the ruleset does (" +
                    format_date(*effective_from) + "): every day the ruleset governs needs a value");
  }
}

void read_parameter(std::string_view name, const json::value& value, const std::string& pointer,
                    std::optional<Date> effective_from, Ruleset& rs, ErrorSink& sink) {
  Problems& problems = sink.problems();
  ObjectFields fields(value, pointer, problems);
  const json::value* type = fields.required("type");
  const json::value* unit = fields.optional("unit");
  const json::value* description = fields.required("description");
  const json::value* values = fields.required("values");
  fields.finish();
  if (!is_parameter_name(name)) {
    add_problem(problems, pointer, "a parameter name is lowercase words joined by '.': [a-z][a-z0-9_]*(.[a-z0-9_]+)*");
  }
  const KindInfo* kind = type ? read_kind(*type, fields.pointer_of("type"), problems) : nullptr;
  auto unit_text =
      unit ? read_text_bytes(*unit, fields.pointer_of("unit"), short_text_bytes_max, problems) : std::nullopt;
  auto description_text =
      description ? read_text_bytes(*description, fields.pointer_of("description"), text_bytes_max, problems)
                  : std::nullopt;
  if (!kind) return;  // untyped: rules that use it report an unknown parameter

  Parameter& parameter = rs.parameters.emplace_back();
  parameter.name = std::string(name);
  parameter.type = expr::Type{kind->base};
  if (unit_text) parameter.unit = std::string(*unit_text);
  if (description_text) parameter.description = std::string(*description_text);
  if (values) read_values(kind->kind, *values, fields.pointer_of("values"), effective_from, parameter, problems);
  rs.parameter_index.emplace(parameter.name, static_cast<std::uint16_t>(rs.parameters.size() - 1));
}

}  // namespace

void read_parameters(const json::value& value, const std::string& pointer, std::optional<Date> effective_from,
                     Ruleset& rs, ErrorSink& sink) {
  assert(rs.parameters.empty());
  const json::object* object = value.if_object();
  if (!object || object->size() > parameters_max) {
    sink.add(pointer, "must be an object of at most " + std::to_string(parameters_max) + " parameters (name -> {...})");
    return;
  }
  // Values point into their parameter's storage: the vector must never reallocate.
  rs.parameters.reserve(object->size());
  for (const auto& member : *object) {
    read_parameter(key_of(member), member.value(), pointer_append(pointer, key_of(member)), effective_from, rs, sink);
  }
  sink.flush();
}

}  // namespace subsidy::ruleset_loader
