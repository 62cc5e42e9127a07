// The replay compares the logged decision with decision_to_canonical_json() of the recomputed
// one, byte for byte, and builds JSON values only when they differ. That is sound only if the
// direct text is exactly audit::canonical_json() of decision_to_json() with "seq": checked here
// over real decisions of every kind the generator makes, and over strings that need escaping.
#include "engine/decision_json.h"

#include "audit/canonical_json.h"
#include "claim_generator.h"
#include "engine/claim_parser.h"
#include "engine/evaluator.h"
#include "engine/memory_history.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <map>
#include <string>

using namespace subsidy;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

std::string expected_text(const Decision& d, Seq seq) {
  json::object o = decision_to_json(d);
  o["seq"] = seq;
  auto text = audit::canonical_json(o);
  REQUIRE(text.ok());
  return text.value();
}

std::string expected_dry_run(const Decision& d) {
  json::object o = decision_to_json(d);
  o["dry_run"] = true;
  auto text = audit::canonical_json(o);
  REQUIRE(text.ok());
  return text.value();
}

std::string expected_rulesets(const Decision& d) {
  auto text = audit::canonical_json(decision_to_json(d).at("rulesets"));
  REQUIRE(text.ok());
  return text.value();
}

}  // namespace

TEST_CASE("a decision's canonical text written directly is canonical_json() of its JSON, with seq or dry_run") {
  MemoryCatalogue catalogue = generated_catalogue();
  RulesetSet rulesets = generated_rulesets();
  MemoryHistory history;
  Decision d;
  std::string direct;
  std::map<std::string, int> seen;  // program/kind/outcome
  Decision sample;
  for (std::uint64_t i = 0; i < 12 * static_cast<std::uint64_t>(decisions_per_block); ++i) {
    GeneratedStep step = generated_step(i);
    const Seq seq = i + 1;
    REQUIRE(decide_generated_step(step, seq, history, catalogue, rulesets, d));
    decision_to_canonical_json(d, seq, direct);
    CAPTURE(i);
    CHECK(direct == expected_text(d, seq));
    CHECK(dry_run_text(d) == expected_dry_run(d));  // an eligibility answer
    std::string rs;
    rulesets_to_canonical_json(d, rs);
    CHECK(rs == expected_rulesets(d));
    seen[std::string(name_of(d.program)) + "/" + std::string(decision_kind_names[static_cast<std::size_t>(d.kind)]) + "/" +
         std::string(outcome_names[static_cast<std::size_t>(d.outcome)])]++;
    if (i == 1) sample = d;
  }
  CHECK(seen.size() >= 5);  // approvals, caps, exclusions, classes, settlements

  // Strings that RFC 8785 escapes, and some it copies as they are.
  for (const char* id : {"a\"b\\c", "\b\t\n\f\r", "\x01\x1f", "/\x7f", "张三", "\xf0\x9f\x98\x80", ""}) {
    CAPTURE(id);
    sample.claim_id = id;
    decision_to_canonical_json(sample, 7, direct);
    CHECK(direct == expected_text(sample, 7));
  }
}
