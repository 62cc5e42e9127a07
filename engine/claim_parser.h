#pragma once
// From a JSON document to a validated Claim or SettlementRequest. A document with problems yields
// every problem found, each with the JSON Pointer of the offending field, and no claim. The rules
// (what is *eligible*) are not checked here: only what makes a document well-formed and valid input:
// required and unknown fields, types, formats, check characters, limits, duplicates within a claim.

#include "engine/claim.h"
#include "engine/problem.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <variant>

namespace subsidy {

// At most this many problems are listed for one document, then one "and N more problems" at "".
inline constexpr std::size_t claim_problems_max = 100;

std::variant<Claim, Problems> parse_claim(const boost::json::value& document);
std::variant<SettlementRequest, Problems> parse_settlement(const boost::json::value& document);

}  // namespace subsidy
