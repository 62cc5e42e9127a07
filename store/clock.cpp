#include "store/clock.h"

#include "audit/rfc3339.h"

namespace subsidy::store {

std::chrono::sys_seconds SystemClock::now() const {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string rfc3339_now(const Clock& clock) { return audit::format_rfc3339_utc(clock.now()); }

}  // namespace subsidy::store
