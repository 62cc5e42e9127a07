#pragma once
// A realistic mix of claims for load tools (subsidy-bench-http, subsidy-crash-test): mostly
// work-for-training claims of new people, some repeating a person (a month already paid, past the
// six-month cap), pre-job trainings (one excluded by 以工代训) and project classes, against the
// demo catalogue (examples/catalogue.json). Every claim_id is unique for a given prefix.

#include "bench/load_client.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>

namespace subsidy::tools {

// The mix in plain words, for a tool's output.
extern const char* const claim_mix_text;

// The claim of request n, claim_id prefix + n.
boost::json::object mixed_claim(std::uint64_t n, const std::string& prefix);

// Requests of the mix to target (POST /v1/claims or /v1/eligibility).
RequestSource claims_to(std::string target, std::string prefix);

}  // namespace subsidy::tools
