#pragma once
// The body of POST /v1/classes (registry.md §2), and of a class_filing log record's "filing",
// read strictly: every bad member is reported with its JSON Pointer, nothing half-read returned.

#include "engine/class_filing.h"
#include "engine/problem.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <variant>

namespace subsidy {

std::variant<ClassFiling, Problems> parse_class_filing(const boost::json::value& document);

// The filing as the API and the log give it: the members parse_class_filing reads.
boost::json::object class_filing_json(const ClassFiling& filing);

}  // namespace subsidy
