#include "engine/json_fields.h"

#include <doctest/doctest.h>
#include <boost/json/parse.hpp>

using namespace subsidy;
namespace json = boost::json;

TEST_CASE("object fields: required, optional, forbidden and unknown members") {
  Problems problems;
  json::value doc = json::parse(R"({"a": 1, "b": null, "c": 3, "d": 4, "e~/": 5})");
  ObjectFields fields(doc, "/x", problems);
  CHECK(fields.is_object());
  CHECK(fields.required("a") != nullptr);
  CHECK(fields.required("missing") == nullptr);
  CHECK(fields.optional("b") != nullptr);           // null is present
  CHECK(fields.optional_nullable("b") == nullptr);  // unless null means absent
  CHECK(fields.optional("absent") == nullptr);
  fields.forbid("c", "not here");
  fields.forbid("absent_too", "not here");
  fields.finish();
  CHECK(problems == Problems{{"/x/missing", "is required"},
                             {"/x/c", "not here"},
                             {"/x/d", "unknown field"},
                             {"/x/e~0~1", "unknown field"}});
}

TEST_CASE("object fields on a non-object report once") {
  Problems problems;
  json::value doc = json::parse("[1]");
  ObjectFields fields(doc, "/p", problems);
  CHECK_FALSE(fields.is_object());
  CHECK(fields.required("a") == nullptr);
  fields.finish();
  CHECK(problems == Problems{{"/p", "must be an object"}});
}

TEST_CASE("text lengths: bytes for names, characters for references") {
  Problems problems;
  json::value three_cjk("湖滨区");  // 9 bytes, 3 characters
  CHECK(read_text_bytes(three_cjk, "/n", 9, problems).has_value());
  CHECK_FALSE(read_text_bytes(three_cjk, "/n", 8, problems).has_value());
  CHECK(read_text_chars(three_cjk, "/r", 3, problems).has_value());
  CHECK_FALSE(read_text_chars(three_cjk, "/r", 2, problems).has_value());
  CHECK_FALSE(read_text_chars(json::value("a\x7f"), "/r", 10, problems).has_value());
  CHECK(problems == Problems{{"/n", "must be at most 8 bytes of UTF-8"},
                             {"/r", "must be at most 2 characters"},
                             {"/r", "must not contain control characters"}});
}

TEST_CASE("arrays are bounded before their items are looked at") {
  Problems problems;
  json::value doc = json::parse("[1, 2, 3]");
  CHECK(read_array(doc, "/a", 0, 3, problems) != nullptr);
  CHECK(read_array(doc, "/a", 4, 10, problems) == nullptr);
  CHECK(read_array(doc, "/a", 0, 2, problems) == nullptr);
  CHECK(read_array(json::value(1), "/a", 0, 2, problems) == nullptr);
  CHECK(problems == Problems{{"/a", "must have at least 4 items"},
                             {"/a", "must have at most 2 items"},
                             {"/a", "must be an array"}});
}

TEST_CASE("enums are read by their wire names") {
  Problems problems;
  CHECK(read_enum<Scope>(json::value("person_entity"), "/s", "scope", problems) ==
        Scope::person_entity);
  CHECK_FALSE(read_enum<Scope>(json::value("Person"), "/s", "scope", problems).has_value());
  CHECK_FALSE(read_enum<Scope>(json::value("a\"b"), "/s", "scope", problems).has_value());
  CHECK(problems == Problems{{"/s", "unknown scope \"Person\" (allowed: person, person_entity)"},
                             {"/s", "unknown scope \"a\\\"b\" (allowed: person, person_entity)"}});
}
