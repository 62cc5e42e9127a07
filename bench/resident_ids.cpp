#include "bench/resident_ids.h"

#include "engine/identity.h"

#include <cstdio>

namespace subsidy::tools {

std::string resident_id(std::uint64_t n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "%06d%08d%03d", 110000 + static_cast<int>(n / 1000 % 800000),
                19800101 + static_cast<int>(n % 28), static_cast<int>(n % 1000));
  std::string s(first17, 17);
  return s + *resident_id_check_char(s);
}

}  // namespace subsidy::tools
