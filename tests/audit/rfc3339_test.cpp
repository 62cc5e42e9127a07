#include "audit/rfc3339.h"

#include <doctest/doctest.h>

#include <chrono>

using namespace subsidy::audit;

TEST_CASE("formatting whole seconds in UTC") {
  using std::chrono::seconds;
  using std::chrono::sys_seconds;
  CHECK(format_rfc3339_utc(sys_seconds(seconds(0))) == "1970-01-01T00:00:00Z");
  CHECK(format_rfc3339_utc(sys_seconds(seconds(1714552200))) == "2024-05-01T08:30:00Z");
  CHECK(format_rfc3339_utc(sys_seconds(seconds(951782399))) == "2000-02-28T23:59:59Z");
  CHECK(format_rfc3339_utc(sys_seconds(seconds(951782400))) == "2000-02-29T00:00:00Z");
  CHECK(is_rfc3339_utc(format_rfc3339_utc(sys_seconds(seconds(1714552200)))));
}

TEST_CASE("only RFC 3339 UTC times with a real date are accepted") {
  for (const char* good : {"2024-05-01T08:30:00Z", "2024-02-29T23:59:59Z", "2016-12-31T23:59:60Z",
                           "2024-05-01T08:30:00.5Z", "2024-05-01T08:30:00.123456789Z"}) {
    CAPTURE(good);
    CHECK(is_rfc3339_utc(good));
  }
  for (const char* bad :
       {"", "2024-05-01", "2024-05-01T08:30:00", "2024-05-01 08:30:00Z", "2024-05-01t08:30:00Z",
        "2024-05-01T08:30:00z", "2024-05-01T08:30:00+08:00", "2024-05-01T08:30:00.Z",
        "2024-05-01T08:30:00.1234567890Z", "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z",
        "2024-00-01T00:00:00Z", "2024-04-31T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T23:60:00Z",
        "2024-05-01T23:59:61Z", "2024-5-01T08:30:00Z", "２024-05-01T08:30:00Z", "2024-05-01T08:30:00ZZ"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_rfc3339_utc(bad));
  }
}
