#include "engine/json_reader.h"

#include <doctest/doctest.h>
#include <boost/json/serialize.hpp>

#include <string>

using namespace subsidy;
namespace json = boost::json;

namespace {

JsonSyntaxError error_of(std::string_view text) {
  auto result = read_json(text);
  REQUIRE(std::holds_alternative<JsonSyntaxError>(result));
  return std::get<JsonSyntaxError>(result);
}

json::value value_of(std::string_view text) {
  auto result = read_json(text);
  if (auto* error = std::get_if<JsonSyntaxError>(&result)) FAIL(error->message);
  return std::get<json::value>(result);
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

TEST_CASE("well-formed JSON reads into the same value as boost::json::parse") {
  auto v = value_of(R"( {"a": [1, -2, 18446744073709551615, 1.5, 1e-400, "x\u00e9", true, null],
                        "b": {"c": {}}, "": [] } )");
  CHECK(json::serialize(v) ==
        R"({"a":[1,-2,18446744073709551615,1.5E0,0E0,"xé",true,null],"b":{"c":{}},"":[]})");
  CHECK(v.at("a").as_array()[0].is_int64());
  CHECK(v.at("a").as_array()[2].is_uint64());
  CHECK(v.at("a").as_array()[3].is_double());
  CHECK(value_of("42") == json::value(42));
  CHECK(value_of("\"\xe4\xb8\xad\"") == json::value("\xe4\xb8\xad"));
}

TEST_CASE("a duplicate key is refused with its pointer") {
  auto e = error_of(R"({"months": [], "program": "x", "months": []})");
  CHECK(e.message == R"(duplicate key "months")");
  CHECK(e.pointer == "/months");
  CHECK(e.offset == std::string_view(R"({"months": [], "program": "x", "months)").size());

  e = error_of(R"({"person": {"name": "a", "categories": [], "name": "b"}})");
  CHECK(e.pointer == "/person/name");

  e = error_of(R"({"trainees": [{"a": 1}, {"a": 1}, {"id": 1, "id": 2}]})");
  CHECK(e.pointer == "/trainees/2/id");

  e = error_of(R"([[], [{"x": {"a/b": 1, "a~b": 2, "a/b": 3}}]])");
  CHECK(e.pointer == "/1/0/x/a~1b");
  CHECK(e.message == R"(duplicate key "a/b")");

  // Keys compare after unescaping: "\u0061" is "a".
  e = error_of(R"({"a": 1, "\u0061": 2})");
  CHECK(e.pointer == "/a");
}

TEST_CASE("the same key in different objects is not a duplicate") {
  auto v = value_of(R"({"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": {"b": {"a": {}}}})");
  CHECK(v.at("b").as_array()[1].at("a") == json::value(2));
  // Frames are reused between sibling objects; their keys must not leak into the next one.
  CHECK_NOTHROW(value_of(R"([{"k": 1, "j": 2}, {"k": 3, "j": 4}, [{"k": 5}]])"));
}

TEST_CASE("nesting is limited to json_depth_max") {
  CHECK_NOTHROW(value_of(nested_arrays(json_depth_max)));
  auto e = error_of(nested_arrays(json_depth_max + 1));
  CHECK(e.message == "nesting deeper than 64");
  CHECK(e.offset == json_depth_max);

  std::string objects;
  for (std::size_t i = 0; i <= json_depth_max; ++i) objects += R"({"a":)";
  CHECK(error_of(objects + "1" + std::string(json_depth_max + 1, '}')).message ==
        "nesting deeper than 64");
}

TEST_CASE("very deep nesting fails cleanly instead of exhausting the stack") {
  CHECK(error_of(nested_arrays(100'000)).message == "nesting deeper than 64");
  CHECK(error_of(std::string(100'000, '[')).message == "nesting deeper than 64");
  std::string objects;
  for (int i = 0; i < 100'000; ++i) objects += R"({"a":)";
  CHECK(error_of(objects).message == "nesting deeper than 64");
}

TEST_CASE("invalid UTF-8 is refused at the offending byte") {
  CHECK(error_of("\"ab\xff\"").offset == 3);
  CHECK(error_of("\"ab\xff\"").message == "invalid UTF-8");
  CHECK(error_of("{\"k\xc3\": 1}").offset == 3);                   // truncated sequence in a key
  CHECK(error_of("\"\xc0\xaf\"").message == "invalid UTF-8");      // overlong '/'
  CHECK(error_of("\"\xe0\x80\xaf\"").message == "invalid UTF-8");  // overlong, 3 bytes
  CHECK(error_of("\"\xed\xa0\x80\"").message == "invalid UTF-8");  // a UTF-16 surrogate
  CHECK(error_of("\"\xf4\x90\x80\x80\"").message == "invalid UTF-8");  // above U+10FFFF
  CHECK(error_of("\"\xe4\xb8\"").message == "invalid UTF-8");
  CHECK(error_of("\"\xe4\xb8").message == "invalid UTF-8");         // ends mid-character
  CHECK(error_of("\xef\xbb\xbf{}").message != "");                  // a BOM is not JSON either
  CHECK(value_of("\"\xf4\x8f\xbf\xbf\xed\x9f\xbf\"").is_string());  // U+10FFFF and U+D7FF
}

TEST_CASE("a syntax error before bad UTF-8 is reported first") {
  auto e = error_of("{x \"\xff\"}");
  CHECK(e.offset == 1);
  CHECK(e.message.rfind("not valid JSON", 0) == 0);
}

TEST_CASE("a number beyond the range of a double is refused, not read as infinity") {
  auto e = error_of(R"({"a": [0, 1e400]})");
  CHECK(e.message == "number out of range");
  CHECK(e.pointer == "/a/1");
  CHECK(error_of("-1e99999").message == "number out of range");
  CHECK(error_of("1e99999999999999999999").message == "a number's exponent is too large");
  CHECK(value_of("1e308").is_double());
  CHECK(value_of("99999999999999999999999").is_double());  // beyond uint64: Boost's double
}

TEST_CASE("text after the value is refused") {
  auto e = error_of(R"({"a": 1} {"b": 2})");
  CHECK(e.message == "text after the JSON value");
  CHECK(e.offset == 9);
  CHECK(error_of("1 2").offset == 2);
  CHECK(error_of("{} x").message == "text after the JSON value");
  CHECK(error_of("{} \xff").message == "text after the JSON value");
  CHECK(value_of(" {} \n\t ").is_object());  // trailing whitespace is fine
}

TEST_CASE("malformed JSON is refused with an offset") {
  CHECK(error_of("").message == "the JSON text ends early");
  CHECK(error_of("   ").message == "the JSON text ends early");
  CHECK(error_of(R"({"a": 1)").message == "the JSON text ends early");
  CHECK(error_of(R"({"a" 1})").offset == 5);
  CHECK(error_of(R"({"a": 1,})").offset == 8);    // no trailing commas
  CHECK(error_of("[1, /* c */ 2]").offset == 4);  // no comments
  CHECK(error_of("{'a': 1}").offset == 1);
  CHECK(error_of("[01]").pointer.empty());
  CHECK(error_of(R"("\udc00")").message == "a \\u escape is not a valid surrogate pair");
  CHECK(error_of(R"("\ud800\u0041")").message == "a \\u escape is not a valid surrogate pair");
  CHECK(error_of(R"("\ud800")").message == "not valid JSON (syntax error)");
  CHECK(error_of(R"("\u12G4")").message == "a \\u escape needs four hex digits");
  CHECK(error_of("[NaN]").offset == 1);
  CHECK(error_of(std::string("\"a\0b\"", 5)).offset == 2);  // raw control characters
}
