#include "audit/canonical_json.h"

#include "audit/exact_json.h"

#include <doctest/doctest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

using namespace subsidy::audit;

namespace {

std::string canonical(const boost::json::value& value) {
  auto result = canonical_json(value);
  REQUIRE_MESSAGE(result.ok(), result.error().message);
  return result.value();
}

// Parsed exactly: Boost.JSON's own parse() misrounds some doubles (see exact_json.h).
std::string canonical_text(std::string_view json) {
  auto value = parse_exact_json(json);
  REQUIRE_MESSAGE(value.ok(), value.error().message);
  return canonical(value.value());
}

double from_bits(std::uint64_t bits) { return std::bit_cast<double>(bits); }

}  // namespace

TEST_CASE("RFC 8785 3.2.2: whitespace, literals, numbers and string escapes") {
  const std::string input = R"({
    "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
    "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
    "literals": [null, true, false]
  })";
  CHECK(canonical_text(input) ==
        "{\"literals\":[null,true,false],"
        "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
        "\"string\":\"\xE2\x82\xAC$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
}

TEST_CASE("RFC 8785 3.2.3: member names sort by UTF-16 code units, not code points") {
  const std::string input = R"({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis"
  })";
  // U+1F600 (UTF-16 D83D DE00) sorts before U+FB33 although its code point is larger.
  CHECK(canonical_text(input) ==
        "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
        "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
        "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
        "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST_CASE("nested objects are sorted at every level, arrays keep their order") {
  CHECK(canonical_text(R"({"b": {"z": 1, "a": [3, 1, {"y": null, "x": true}]}, "a": "", "B": 0})") ==
        R"({"B":0,"a":"","b":{"a":[3,1,{"x":true,"y":null}],"z":1}})");
  CHECK(canonical_text("[]") == "[]");
  CHECK(canonical_text("{}") == "{}");
  CHECK(canonical_text(R"({"\u00e9": 1, "e\u0301": 2, "z": 3})") ==
        "{\"e\xCC\x81\":2,\"z\":3,\"\xC3\xA9\":1}");  // no Unicode normalization
}

TEST_CASE("control characters are escaped and nothing else is") {
  std::string all_controls;
  for (char c = 0; c < 0x20; ++c) all_controls += c;
  const std::string expected =
      "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
      "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c"
      "\\u001d\\u001e\\u001f\"";
  CHECK(canonical(boost::json::value(all_controls)) == expected);
  // '/', DEL, U+2028 and non-ASCII text pass through as UTF-8.
  CHECK(canonical(boost::json::value("/\x7F\xE2\x80\xA8\xE5\xAD\xA6")) ==
        "\"/\x7F\xE2\x80\xA8\xE5\xAD\xA6\"");
  CHECK(canonical(boost::json::value("a\"b\\c")) == "\"a\\\"b\\\\c\"");
}

TEST_CASE("RFC 8785 appendix B: IEEE 754 doubles in ECMAScript form") {
  const std::pair<std::uint64_t, const char*> cases[] = {
      {0x0000000000000000, "0"},
      {0x8000000000000000, "0"},
      {0x0000000000000001, "5e-324"},
      {0x8000000000000001, "-5e-324"},
      {0x7fefffffffffffff, "1.7976931348623157e+308"},
      {0xffefffffffffffff, "-1.7976931348623157e+308"},
      {0x4340000000000000, "9007199254740992"},
      {0xc340000000000000, "-9007199254740992"},
      {0x4430000000000000, "295147905179352830000"},
      {0x44b52d02c7e14af5, "9.999999999999997e+22"},
      {0x44b52d02c7e14af6, "1e+23"},
      {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
      {0x444b1ae4d6e2ef4e, "999999999999999700000"},
      {0x444b1ae4d6e2ef4f, "999999999999999900000"},
      {0x444b1ae4d6e2ef50, "1e+21"},
      {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
      {0x3eb0c6f7a0b5ed8d, "0.000001"},
      {0x41b3de4355555553, "333333333.3333332"},
      {0x41b3de4355555554, "333333333.33333325"},
      {0x41b3de4355555555, "333333333.3333333"},
      {0x41b3de4355555556, "333333333.3333334"},
      {0x41b3de4355555557, "333333333.33333343"},
      {0xbecbf647612f3696, "-0.0000033333333333333333"},
      {0x43143ff3c1cb0959, "1424953923781206.2"},
  };
  for (const auto& [bits, expected] : cases) {
    CAPTURE(bits);
    CHECK(ecmascript_number(from_bits(bits)) == expected);
    CHECK(canonical(boost::json::value(from_bits(bits))) == expected);
  }
}

TEST_CASE("doubles match String(x) of an ECMAScript engine for 1000 generated values") {
  // Data from tests/audit/data/ecmascript_numbers.js, run under Node.js.
  std::ifstream file(AUDIT_TEST_DATA_DIR "/ecmascript_numbers.txt");
  REQUIRE(file.good());
  std::string line;
  int count = 0;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    std::string bits_hex;
    std::string expected;
    fields >> bits_hex >> expected;
    CAPTURE(line);
    CHECK(ecmascript_number(from_bits(std::stoull(bits_hex, nullptr, 16))) == expected);
    ++count;
  }
  CHECK(count == 1000);
}

TEST_CASE("integers are written exactly within the range of IEEE doubles") {
  const std::int64_t limit = canonical_integer_magnitude_max;
  CHECK(canonical(boost::json::value(0)) == "0");
  CHECK(canonical(boost::json::value(-150)) == "-150");
  CHECK(canonical(boost::json::value(limit)) == "9007199254740992");
  CHECK(canonical(boost::json::value(-limit)) == "-9007199254740992");
  CHECK(canonical(boost::json::value(std::uint64_t{42})) == "42");
  CHECK(canonical(boost::json::value(2.0)) == "2");
  CHECK_FALSE(canonical_json(boost::json::value(limit + 1)).ok());
  CHECK_FALSE(canonical_json(boost::json::value(-limit - 1)).ok());
  CHECK_FALSE(canonical_json(boost::json::value(std::numeric_limits<std::uint64_t>::max())).ok());
}

TEST_CASE("values JSON cannot carry are rejected") {
  CHECK_FALSE(canonical_json(boost::json::value(std::nan(""))).ok());
  CHECK_FALSE(canonical_json(boost::json::value(std::numeric_limits<double>::infinity())).ok());
  CHECK_FALSE(canonical_json(boost::json::value(-std::numeric_limits<double>::infinity())).ok());
  const char* invalid_utf8[] = {
      "\xFF",              // never valid
      "\xC0\xAF",          // overlong '/'
      "\xE0\x80\xAF",      // overlong '/'
      "\xED\xA0\x80",      // a UTF-16 surrogate encoded as UTF-8
      "\xF4\x90\x80\x80",  // above U+10FFFF
      "\xE2\x82",          // truncated
      "a\x80",             // stray continuation byte
  };
  for (const char* text : invalid_utf8) {
    CAPTURE(text);
    CHECK(canonical_json(boost::json::value(text)).error().code == ErrorCode::invalid_argument);
    boost::json::object object;
    object[text] = 1;
    CHECK_FALSE(canonical_json(object).ok());
  }
}

TEST_CASE("nesting is limited to canonical_depth_max") {
  auto nested = [](std::size_t depth) {
    boost::json::value v = boost::json::array();
    for (std::size_t i = 0; i < depth; ++i) v = boost::json::array{v};
    return v;
  };
  CHECK(canonical_json(nested(canonical_depth_max)).ok());
  CHECK_FALSE(canonical_json(nested(canonical_depth_max + 1)).ok());
}
