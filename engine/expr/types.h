#pragma once
// The static types of the rule expression language (docs/expressions.md). Every value is held
// in one int64 at run time; the type, known at compile time, says how to read it:
//   bool 0/1 · int · fen (Fen::value) · date (Gregorian day number) · month (Month::index)
//   enums (the enum's value) · sets (EnumSet bits) · text and text lists (a pointer owned by the
//   claim or the ruleset) · a nullable type uses `null_value` for null.

#include <cstdint>
#include <limits>
#include <string>

namespace subsidy::expr {

enum class BaseType : std::uint8_t {
  boolean, integer, fen, date, month, text, text_list,
  program, entity_type, category, evidence_kind, scope, line_effect, filing_finding,
  entity_type_set, category_set, evidence_kind_set,
  registration_map,  // entity type -> list of allowed credit-code prefixes
  literal_list,      // ["a", "b"] before its element type is known from context
};

struct Type {
  BaseType base = BaseType::boolean;
  bool nullable = false;
  bool operator==(const Type&) const = default;
};

using Value = std::int64_t;
inline constexpr Value null_value = std::numeric_limits<Value>::min();

std::string type_name(Type t);
bool is_enum(BaseType b);
bool is_set(BaseType b);
// The element type of a set type, and the set type of an element type.
BaseType element_of(BaseType set);
BaseType set_of(BaseType element);
bool has_set_type(BaseType element);
bool is_ordered(BaseType b);  // supports < <= > >=
// Resolves a name of an enum type to its value; -1 if not a member.
int enum_value(BaseType b, std::string_view name);
std::string_view enum_name(BaseType b, Value v);

}  // namespace subsidy::expr
