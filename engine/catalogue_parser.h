#pragma once
// Catalogue entries and budgets from JSON (the bodies of the admin PUTs in api.md, and the demo
// and scenario catalogue files), with every problem reported by JSON Pointer.

#include "engine/catalogue.h"
#include "engine/memory_catalogue.h"
#include "engine/problem.h"

#include <boost/json/value.hpp>

#include <variant>

namespace subsidy {

// `key` is the code from the URL (institution credit code / project code); `pointer` prefixes
// the problems' pointers.
std::variant<InstitutionEntry, Problems> parse_institution_entry(const boost::json::value& v, std::string_view credit_code, const std::string& pointer = "");
std::variant<ProjectEntry, Problems> parse_project_entry(const boost::json::value& v, std::string_view code, const std::string& pointer = "");

// A whole catalogue file: {"institutions": [{credit_code, ...}], "projects": [{code, ...}],
// "budgets": [{program, year, amount_fen}]}, each list optional.
std::variant<MemoryCatalogue, Problems> parse_catalogue_file(const boost::json::value& v);

}  // namespace subsidy
