// Evaluation is deterministic: the same claims, prior decisions and rules give the same bytes,
// evaluated twice in one process (here) and in two fresh processes (tests/determinism.cmake).
#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/decision_json.h"
#include "engine/ledger.h"
#include "app/files.h"

#include <boost/json.hpp>
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

using namespace subsidy;
namespace json = boost::json;

namespace {

struct Demo {
  RulesetSet rulesets;
  MemoryCatalogue catalogue;
  std::vector<json::value> documents;
};

Demo load_demo() {
  std::string root = SUBSIDY_SOURCE_DIR;
  auto rulesets = app::load_rulesets({root + "/rules"});
  REQUIRE(std::holds_alternative<RulesetSet>(rulesets));
  std::string error;
  auto catalogue_doc = app::read_json_file(root + "/examples/catalogue.json", error);
  REQUIRE(catalogue_doc.has_value());
  auto catalogue = parse_catalogue_file(*catalogue_doc);
  REQUIRE(std::holds_alternative<MemoryCatalogue>(catalogue));
  Demo demo{std::move(std::get<RulesetSet>(rulesets)), std::move(std::get<MemoryCatalogue>(catalogue)), {}};
  std::ifstream in(root + "/examples/claims.jsonl");
  for (std::string line; std::getline(in, line);) demo.documents.push_back(json::parse(line));
  REQUIRE(demo.documents.size() >= 5);
  return demo;
}

// Decides every demo document in order with a fresh ledger; returns the serialized decisions.
std::vector<std::string> decide_all(const Demo& demo) {
  Ledger ledger(demo.rulesets, demo.catalogue);
  std::vector<std::string> out;
  for (const json::value& doc : demo.documents) {
    LedgerEntry entry;
    EvalStatus status;
    if (doc.as_object().contains("settle")) {
      auto request = std::get<SettlementRequest>(parse_settlement(doc.at("request")));
      status = ledger.follow_up(doc.at("settle").as_string(), FollowUpRequest(request), entry);
    } else {
      status = ledger.submit(std::get<Claim>(parse_claim(doc)), entry);
    }
    REQUIRE(status.ok());
    out.push_back(json::serialize(entry.decision));
  }
  return out;
}

}  // namespace

TEST_CASE("the same claims and prior decisions give byte-identical decisions, run after run") {
  Demo demo = load_demo();
  std::vector<std::string> first = decide_all(demo);
  std::vector<std::string> second = decide_all(demo);
  CHECK(first == second);
  // Not vacuous: the demo exercises history (refs), rejections, an advance and a settlement.
  std::string all;
  for (const auto& d : first) all += d;
  CHECK(all.find("\"refs\":[1]") != std::string::npos);
  CHECK(all.find("\"kind\":\"advance\"") != std::string::npos);
  CHECK(all.find("\"kind\":\"remainder\"") != std::string::npos);
}

TEST_CASE("a dry run evaluated twice against the same history gives the same bytes") {
  Demo demo = load_demo();
  Ledger ledger(demo.rulesets, demo.catalogue);
  LedgerEntry entry;
  Claim first = std::get<Claim>(parse_claim(demo.documents[0]));
  REQUIRE(ledger.submit(first, entry).ok());
  Claim second = std::get<Claim>(parse_claim(demo.documents[1]));
  Decision a, b;
  REQUIRE(ledger.check(second, a).ok());
  REQUIRE(ledger.check(second, b).ok());
  CHECK(json::serialize(decision_to_json(a)) == json::serialize(decision_to_json(b)));
  // A decision buffer reused for another claim and back gives the same bytes again.
  REQUIRE(ledger.check(first, a).ok());
  REQUIRE(ledger.check(second, a).ok());
  CHECK(json::serialize(decision_to_json(a)) == json::serialize(decision_to_json(b)));
}
