#pragma once
// Timestamps in signed heads: RFC 3339 in UTC, "2024-05-01T08:30:00Z", optionally with a
// fraction of a second. One zone designator ("Z") keeps one text form per instant class.

#include <chrono>
#include <string>
#include <string_view>

namespace subsidy::audit {

// "YYYY-MM-DDTHH:MM:SSZ" for t (whole seconds).
std::string format_rfc3339_utc(std::chrono::sys_seconds t);

// True iff text is "YYYY-MM-DDTHH:MM:SS[.F{1,9}]Z" with a real calendar day, hours 00-23,
// minutes 00-59 and seconds 00-60 (RFC 3339 allows a leap second). Lowercase 't'/'z' and
// numeric offsets are rejected.
bool is_rfc3339_utc(std::string_view text);

}  // namespace subsidy::audit
