#pragma once
// RFC 8785 JSON Canonicalization Scheme (JCS): the one byte sequence that every conforming
// implementation produces for a JSON value, so that hashes and signatures over JSON can be
// recomputed by anyone. Object members are sorted by the UTF-16 code units of their names,
// no whitespace is emitted, strings are escaped minimally, and numbers are written as
// ECMAScript's Number.prototype.toString writes them.

#include "audit/result.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::audit {

// Nesting deeper than this is rejected; our records nest three or four levels.
inline constexpr std::size_t canonical_depth_max = 64;

// JCS numbers are IEEE doubles; an integer of larger magnitude would not survive a round trip
// through another implementation, so it is rejected rather than silently rounded.
inline constexpr std::int64_t canonical_integer_magnitude_max = std::int64_t{1} << 53;

// Returns the canonical UTF-8 text of value.
// Errors (invalid_argument): a string or member name that is not valid UTF-8, two members with
// the same name, a NaN or infinite double, an integer beyond ±canonical_integer_magnitude_max,
// nesting deeper than canonical_depth_max.
Result<std::string> canonical_json(const boost::json::value& value);
// The same for an object, without copying it into a value first (a record body's copy was a
// sixth of the commit thread's time).
Result<std::string> canonical_json(const boost::json::object& object);

// A member of a JSON object as text: its name (without quotes) and its value, both slices of the
// text scanned.
struct JsonMemberText {
  std::string_view name;
  std::string_view value;
};

// A fast check, without building a value, that text is its own canonical form: true only if
// parse_exact_json(text) succeeds and canonical_json() of the result is text, byte for byte.
// false means "not shown": text may still be canonical when it holds what this scanner leaves to
// the exact check (a number that is not an integer, a member name with an escape or a character
// at or above U+E000, nesting deeper than 32), so on false decide with that check. When text is
// an object and the result is true, members (if given) receives its members in order.
bool is_canonical_json_fast(std::string_view text, std::vector<JsonMemberText>* members = nullptr);

// The members of the object text, which must be canonical JSON (checked before, e.g. with
// is_canonical_json_fast()); an empty vector if it is not an object. No validation.
void split_canonical_object(std::string_view text, std::vector<JsonMemberText>& members);

// The canonical object text with the extra members merged in at their places, without parsing
// it. An ASCII name orders against any other name (its escapes included, as canonical text spells
// them) by bytes exactly as RFC 8785 orders by UTF-16 code units. REQUIRES: text is a canonical
// object; extra is sorted by name, each name plain ASCII needing no escape and absent from text,
// each value canonical JSON text.
std::string with_canonical_members(std::string_view text, const std::vector<JsonMemberText>& extra);

// The value of member name in members; "" if absent.
std::string_view member_text(const std::vector<JsonMemberText>& members, std::string_view name);

// ECMAScript Number::toString(x) (ECMA-262 §6.1.6.1.20) using the shortest round-trip digits;
// -0 gives "0". REQUIRES: x is finite.
std::string ecmascript_number(double x);

}  // namespace subsidy::audit
