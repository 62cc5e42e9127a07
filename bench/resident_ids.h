#pragma once
// Valid, distinct GB 11643 resident ID numbers for generated claims (benchmarks, load tests).

#include <cstdint>
#include <string>

namespace subsidy::tools {

// The n-th generated resident ID: area 110000 + n / 1000 (mod 800,000), born 1980-01-01 + n % 28
// days, order code n % 1000, and its check character. Distinct for n < 800,000,000.
std::string resident_id(std::uint64_t n);

}  // namespace subsidy::tools
