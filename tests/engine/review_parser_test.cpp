// parse_review (engine/review.h) and schemas/review.schema.json: what a clerk's review body may
// be, each problem named by its JSON Pointer, and the schema agreeing with the parser.

#include "engine/review.h"
#include "tests/support/json_schema.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>

#include <set>
#include <string>
#include <variant>

using namespace subsidy;

namespace {

std::set<std::string> pointers_of(const std::string& text) {
  auto parsed = parse_review(boost::json::parse(text));
  std::set<std::string> out;
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    for (const Problem& p : *problems) out.insert(p.pointer);
  }
  return out;
}

struct Case {
  const char* text;
  std::set<std::string> pointers;  // empty: valid
  bool schema_sees_it = true;      // false: only the parser can refuse it
};

const Case cases[] = {
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve"}], "note": "ID card checked"})", {}},
    {R"({"lines": [{"subject": "411202199207203350", "resolution": "reject"}, {"subject": "2020-04", "resolution": "approve"}], "note": "x"})", {}},
    {R"({"lines": [], "note": "x"})", {"/lines"}},
    {R"({"lines": [{"subject": "2020-03", "resolution": "maybe"}], "note": "x"})", {"/lines/0/resolution"}},
    {R"({"lines": [{"subject": "", "resolution": "approve"}], "note": "x"})", {"/lines/0/subject"}},
    {R"({"lines": [{"subject": "0123456789012345678901234", "resolution": "approve"}], "note": "x"})", {"/lines/0/subject"}},
    {R"({"lines": [{"subject": "2020-03"}], "note": "x"})", {"/lines/0/resolution"}},
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve", "amount_fen": 1}], "note": "x"})", {"/lines/0/amount_fen"}},
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve"}]})", {"/note"}},
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve"}], "note": ""})", {"/note"}},
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve"}], "note": "x", "notes": "y"})", {"/notes"}},
    {R"({"lines": {"subject": "2020-03"}, "note": 5})", {"/lines", "/note"}},
    {R"([1, 2])", {""}},
    // The same subject twice with different resolutions: only the parser sees it.
    {R"({"lines": [{"subject": "2020-03", "resolution": "approve"}, {"subject": "2020-03", "resolution": "reject"}], "note": "x"})",
     {"/lines/1/subject"}, false},
};

}  // namespace

TEST_CASE("review parser: valid bodies are read, every problem is named by its pointer") {
  for (const Case& c : cases) {
    INFO(c.text);
    CHECK(pointers_of(c.text) == c.pointers);
  }
  auto parsed = parse_review(boost::json::parse(cases[1].text));
  REQUIRE(std::holds_alternative<ReviewRequest>(parsed));
  const ReviewRequest& review = std::get<ReviewRequest>(parsed);
  REQUIRE(review.lines.size() == 2);
  CHECK(review.lines[0].subject == "411202199207203350");
  CHECK(review.lines[0].resolution == Resolution::reject);
  CHECK(review.lines[1].resolution == Resolution::approve);
  CHECK(review.note == "x");
}

TEST_CASE("review schema agrees with the parser") {
  subsidy::testing::JsonSchema schema("schemas/review.schema.json");
  for (const Case& c : cases) {
    INFO(c.text);
    bool schema_accepts = schema.errors(boost::json::parse(c.text)).empty();
    if (c.schema_sees_it) CHECK(schema_accepts == c.pointers.empty());
    else CHECK(schema_accepts);
  }
}
