#include "engine/money.h"

#include <doctest/doctest.h>

#include <limits>

using namespace subsidy;

TEST_CASE("fen arithmetic is exact and reports overflow") {
  CHECK(checked_add(Fen(20000), Fen(150)) == Fen(20150));
  CHECK(checked_sub(Fen(100), Fen(250)) == Fen(-150));
  CHECK(checked_mul(Fen(20000), 6) == Fen(120000));
  constexpr auto big = std::numeric_limits<std::int64_t>::max();
  CHECK_FALSE(checked_add(Fen(big), Fen(1)).has_value());
  CHECK_FALSE(checked_sub(Fen(-big - 1), Fen(1)).has_value());
  CHECK_FALSE(checked_mul(Fen(big / 2 + 1), 2).has_value());
  CHECK_FALSE(checked_percent(Fen(big), 50).has_value());
}

TEST_CASE("percent rounds down to the fen") {
  CHECK(checked_percent(Fen(150001), 50) == Fen(75000));  // 75000.5 -> 75000
  CHECK(checked_percent(Fen(150000), 50) == Fen(75000));
  CHECK(checked_percent(Fen(1), 50) == Fen(0));
  CHECK(checked_percent(Fen(-1), 50) == Fen(-1));  // floor, not truncation toward zero
  CHECK(checked_percent(Fen(999), 33) == Fen(329));  // 329.67 -> 329
}

TEST_CASE("yuan formatting") {
  CHECK(format_yuan(Fen(20000)) == "200.00");
  CHECK(format_yuan(Fen(5)) == "0.05");
  CHECK(format_yuan(Fen(-50)) == "-0.50");
  CHECK(format_yuan(Fen(std::numeric_limits<std::int64_t>::min())) == "-92233720368547758.08");
}
