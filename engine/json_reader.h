#pragma once
// Strict JSON text reading for everything a client sends. Beyond RFC 8259 well-formedness (which
// includes valid UTF-8), it refuses what would make a logged claim ambiguous or a parser unsafe:
// a duplicate key in any object, nesting deeper than json_depth_max, and text after the value.

#include "engine/problem.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

namespace subsidy {

inline constexpr std::size_t json_depth_max = 64;

struct JsonSyntaxError {
  std::size_t offset = 0;  // byte offset into the text where reading stopped
  std::string message;     // "duplicate key \"months\"", "nesting deeper than 64", "invalid UTF-8", ...
  std::string pointer;     // JSON Pointer of the offending member where known (duplicates), else ""
};

// The offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629:
// no overlong forms, no surrogates, nothing above U+10FFFF), or text.size() if there is none.
std::size_t invalid_utf8_offset(std::string_view text);

// Returns the parsed value, its values allocated from storage (the default: the heap), or the
// first syntax error.
std::variant<boost::json::value, JsonSyntaxError> read_json(std::string_view text,
                                                            boost::json::storage_ptr storage = {});

}  // namespace subsidy
