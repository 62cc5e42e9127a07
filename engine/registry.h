#pragma once
// The person registry's domain (registry.md §1): who the real-name system knows, under which name,
// and which categories it has certified for which periods. Imports (registry_import.h) produce
// these; the registry rules read them.

#include "engine/calendar.h"
#include "engine/vocabulary.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

// One certified category: the document that certifies it and the days it holds.
struct Certification {
  Category category{};
  std::string certificate;  // the certifying document's reference (e.g. a 就业困难人员认定 number)
  Date valid_from;
  std::optional<Date> valid_to;  // inclusive; open-ended when nullopt
  bool operator==(const Certification&) const = default;
};

struct RegisteredPerson {
  std::string id_number;  // a valid resident ID number (identity.h)
  std::string name;       // exactly as the real-name system gives it
  std::vector<Certification> certifications;  // may be empty: registered without a category
  bool operator==(const RegisteredPerson&) const = default;
};

// A valid resident ID's 18th character follows from its first 17, which fit in 57 bits: the key
// of a person costs one word, and keys order as the id_numbers do. REQUIRES: id_number's first 17
// characters are digits (a valid resident ID, identity.h).
inline std::uint64_t resident_id_key(std::string_view id_number) {
  std::uint64_t key = 0;
  for (char c : id_number.substr(0, 17)) key = key * 10 + static_cast<std::uint64_t>(c - '0');
  return key;
}

// True when some certification of `category` holds on day d.
inline bool certified_on(const RegisteredPerson& person, Category category, Date d) {
  return std::any_of(person.certifications.begin(), person.certifications.end(),
                     [&](const Certification& c) {
                       return c.category == category && c.valid_from <= d &&
                              (!c.valid_to || d <= *c.valid_to);
                     });
}

}  // namespace subsidy
