#pragma once
// A strict JSON parser for text whose canonical form will be hashed: the audit export read back
// by a replay, a record read from storage. Boost.JSON 1.81's own parse() rounds about one in five
// 17-digit doubles to a neighbouring value, and keeps the last of duplicate member names; either
// would make canonical_json(parse(canonical_json(v))) differ from canonical_json(v) and a clean
// log look tampered with. This parser reads every number with std::from_chars (correctly
// rounded) and rejects duplicate member names, as RFC 8785 §3.1 (I-JSON) requires.

#include "audit/result.h"

#include <boost/json/value.hpp>

#include <string_view>

namespace subsidy::audit {

// The value of text, which must be one complete JSON document (surrounding whitespace allowed).
// Errors (invalid_argument): a syntax error, trailing data, a duplicate member name, a number
// beyond the range of a double, nesting deeper than canonical_depth_max.
Result<boost::json::value> parse_exact_json(std::string_view text);
// The same, with the value's memory from sp (a monotonic resource for a value read and dropped).
Result<boost::json::value> parse_exact_json(std::string_view text, boost::json::storage_ptr sp);

}  // namespace subsidy::audit
