#pragma once
// An input problem: what is wrong and where, as a JSON Pointer (RFC 6901) into the request body.
// Parsers collect every problem they find rather than stopping at the first.

#include <string>
#include <vector>

namespace subsidy {

struct Problem {
  std::string pointer;  // "" is the whole document; "/person/id_number", "/months/2"
  std::string message;  // English, for a clerk: "check character is wrong (expected 'X')"
  bool operator==(const Problem&) const = default;
};

using Problems = std::vector<Problem>;

// Appends a reference token to a JSON Pointer, escaping '~' and '/' as RFC 6901 requires.
std::string pointer_append(const std::string& pointer, std::string_view token);
std::string pointer_append(const std::string& pointer, std::size_t index);

}  // namespace subsidy
