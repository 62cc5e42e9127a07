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

// ECMAScript Number::toString(x) (ECMA-262 §6.1.6.1.20) using the shortest round-trip digits;
// -0 gives "0". REQUIRES: x is finite.
std::string ecmascript_number(double x);

}  // namespace subsidy::audit
