#include "audit/exact_json.h"

#include "audit/canonical_json.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

using namespace subsidy::audit;

TEST_CASE("numbers are read correctly rounded, so canonical text survives a round trip") {
  // Boost.JSON 1.81's parse() reads about 200 of these 1000 texts as a neighbouring double.
  std::ifstream file(AUDIT_TEST_DATA_DIR "/ecmascript_numbers.txt");
  REQUIRE(file.good());
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string bits_hex;
    std::string text;
    fields >> bits_hex >> text;
    CAPTURE(line);
    const auto value = parse_exact_json(text);
    REQUIRE(value.ok());
    const double x = value.value().is_double() ? value.value().get_double()
                                               : static_cast<double>(value.value().to_number<double>());
    CHECK(std::bit_cast<std::uint64_t>(x) == std::stoull(bits_hex, nullptr, 16));
    const auto canonical = canonical_json(value.value());
    if (value.value().is_double() || std::abs(x) <= 0x1p53) {
      CHECK(canonical.value() == text);
    } else {
      // An integer literal beyond 2^53, which ECMAScript would round, is refused, not rounded.
      CHECK(canonical.error().code == ErrorCode::invalid_argument);
    }
  }
}

TEST_CASE("documents parse to the same values as Boost.JSON's parser would build") {
  const auto value =
      parse_exact_json(R"( {"a": [1, -2, 18446744073709551615, 2.5, "x\u00e9", true, null], "b": {}} )");
  REQUIRE(value.ok());
  const auto& object = value.value().as_object();
  const auto& a = object.at("a").as_array();
  CHECK(a[0].as_int64() == 1);
  CHECK(a[1].as_int64() == -2);
  CHECK(a[2].as_uint64() == UINT64_MAX);
  CHECK(a[3].as_double() == 2.5);
  CHECK(a[4].as_string() == "x\xC3\xA9");
  CHECK(a[5].as_bool());
  CHECK(a[6].is_null());
  CHECK(object.at("b").as_object().empty());
}

TEST_CASE("duplicate member names, trailing data and bad syntax are rejected") {
  CHECK(parse_exact_json(R"({"a": 1, "a": 2})").error().message.find("duplicate") != std::string::npos);
  CHECK_FALSE(parse_exact_json(R"({"x": {"a": 1, "b": {"a": 3}, "a": 2}})").ok());
  CHECK(parse_exact_json(R"({"a": {"a": 1}, "b": {"a": 2}})").ok());  // same name, other objects
  CHECK_FALSE(parse_exact_json(R"({"a": 1} {"b": 2})").ok());
  CHECK_FALSE(parse_exact_json(R"({"a": 1,})").ok());
  CHECK_FALSE(parse_exact_json(R"([1, 2)").ok());
  CHECK_FALSE(parse_exact_json("").ok());
  CHECK_FALSE(parse_exact_json("1e400").ok());
  CHECK_FALSE(parse_exact_json("[1] // comment").ok());
}

TEST_CASE("nesting beyond canonical_depth_max is rejected") {
  const auto nested = [](std::size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); };
  CHECK(parse_exact_json(nested(canonical_depth_max)).ok());
  CHECK_FALSE(parse_exact_json(nested(canonical_depth_max + 1)).ok());
}
