// is_canonical_json_fast() may answer "true" only for text that the exact check
// (canonical_json(parse_exact_json(text)) == text) accepts: the store and the replay skip the
// exact check when it does. "false" is allowed for canonical text it leaves to the exact check.
#include "audit/canonical_json.h"

#include "audit/exact_json.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <random>
#include <string>
#include <vector>

using namespace subsidy::audit;
namespace json = boost::json;

namespace {

bool exactly_canonical(std::string_view text) {
  auto parsed = parse_exact_json(text);
  if (!parsed.ok()) return false;
  auto again = canonical_json(parsed.value());
  return again.ok() && again.value() == text;
}

// A record shaped like the log's, with escapes, Chinese text, a character beyond U+FFFF in a value,
// nested arrays and objects, negative and 2^53 integers, booleans and null.
json::value sample_record() {
  return json::value{
      {"seq", 42},
      {"type", "decision"},
      {"decided_at", "2024-05-01T08:30:00Z"},
      {"prev_hash", "265e5ac70e1dcae578e6e9d12200813d516671982570c19bc4b0b084594defb9"},
      {"claim_id", "HB-\"quoted\"\\slash\t\x01-\x7f"},
      {"request", {{"person", {{"name", "张三 😀"}, {"categories", json::array{"poor_laborer", "rural_migrant"}}}},
                   {"months", json::array{"2020-01", "2020-02"}},
                   {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
                   {"insured", true},
                   {"nothing", json::array{}},
                   {"empty", json::object{}}}},
      {"decision", {{"approved_fen", 9007199254740992LL}, {"requested_fen", -9007199254740992LL}, {"zero", 0},
                    {"refs", json::array{1, 2, 3}}, {"ok", false}}},
  };
}

}  // namespace

TEST_CASE("canonical text is recognized by the fast check, with its members") {
  const std::string text = canonical_json(sample_record()).value();
  std::vector<JsonMemberText> members;
  CHECK(is_canonical_json_fast(text, &members));
  REQUIRE(members.size() == 7);
  CHECK(members.front().name == "claim_id");
  CHECK(member_text(members, "seq") == "42");
  CHECK(member_text(members, "type") == "\"decision\"");
  CHECK(member_text(members, "absent").empty());
  std::vector<JsonMemberText> split;
  split_canonical_object(text, split);
  REQUIRE(split.size() == members.size());
  for (std::size_t i = 0; i < split.size(); ++i) {
    CHECK(split[i].name == members[i].name);
    CHECK(split[i].value == members[i].value);
  }
  for (const char* t : {"{}", "[]", "0", "-1", "\"\"", "true", "null", "[[],{}]", "{\"\":1,\"a\":2}"}) {
    CAPTURE(t);
    CHECK(is_canonical_json_fast(t));
    CHECK(exactly_canonical(t));
  }
}

TEST_CASE("text that is not canonical is not passed by the fast check") {
  const char* const not_canonical[] = {
      " {}", "{} ", "{\"a\": 1}", "{\"b\":1,\"a\":2}", "{\"a\":1,\"a\":1}", "-0", "01", "1.0", "1e3", "1E3",
      "9007199254740993", "-9007199254740993", "18446744073709551616", "\"\\/\"", "\"\\u0041\"", "\"\\u001F\"",
      "\"\\u000a\"", "\"\\u0009\"", "\"\x01\"", "\"\xff\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "tru", "nul",
      "[1,]", "{\"a\":1,}", "[1 ,2]", "{}{}", "", "\"abc", "[", "{\"a\"}", "+1"};
  for (const char* t : not_canonical) {
    CAPTURE(t);
    CHECK_FALSE(is_canonical_json_fast(t));
    CHECK_FALSE(exactly_canonical(t));
  }
}

TEST_CASE("what the fast check leaves to the exact check is answered false, never wrongly") {
  // Canonical, but not decided by the scanner: non-integers, escaped or high member names.
  for (const char* t : {"1.5", "1e+21", "{\"a\\nb\":1}", "{\"\xef\xbc\xa1\":1}"}) {
    CAPTURE(t);
    CHECK_FALSE(is_canonical_json_fast(t));
    CHECK(exactly_canonical(t));
  }
}

TEST_CASE("after any single-byte change, the fast check passes only what the exact check passes") {
  const std::string text = canonical_json(sample_record()).value();
  std::mt19937_64 rng(8785);
  const std::string alphabet = "{}[],:\"\\ 0123456789-.eEtrufalsn\x01\x7f\xc3\xa9\xef\xf0";
  int passed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string t = text;
    std::size_t at = rng() % t.size();
    char c = alphabet[rng() % alphabet.size()];
    switch (rng() % 3) {
      case 0: t[at] = c; break;
      case 1: t.erase(at, 1); break;
      default: t.insert(t.begin() + static_cast<std::ptrdiff_t>(at), c); break;
    }
    if (!is_canonical_json_fast(t)) continue;
    ++passed;
    CAPTURE(t);
    CHECK(exactly_canonical(t));
  }
  MESSAGE(passed, " of 20000 mutations are still canonical by the fast check");
  CHECK(passed > 0);  // e.g. a digit changed, a letter in a string changed
}
