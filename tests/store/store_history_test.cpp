// StoreHistory against the reference: thousands of mixed decisions are decided and recorded
// through the DecisionRecorder (Ledger + LogStore) while a warm StoreHistory decides the same
// claims itself and is fed by record() before each append, as the server's sequencer does; then
// a cold StoreHistory, the warm one and the ledger's MemoryHistory must give the same answer for
// every person, claim and (program, year).

#include "store/store_history.h"

#include "claim_generator.h"
#include "audit/canonical_json.h"
#include "engine/claim_parser.h"
#include "engine/decision_json.h"
#include "engine/evaluator.h"
#include "engine/follow_up.h"
#include "engine/ledger.h"
#include "history_compare.h"
#include "store/decision_recorder.h"
#include "store/store_error.h"
#include "store_fixture.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

constexpr int blocks = 50;  // 2,150 generated decisions
constexpr std::uint64_t discard_every = 500;

// A work_for_training claim of 2021 for a generated person under another name: the reference
// name stays the first one, and the approved total of another year grows.
json::value renamed_claim(int person) {
  json::value claim = generated_wft_claim(person, 0);
  claim.as_object()["claim_id"] = "HB-W-RENAMED-" + std::to_string(person);
  claim.as_object()["person"].as_object()["name"] = "李四";
  json::array months{"2021-01", "2021-02"};
  claim.as_object()["months"] = months;
  claim.as_object()["submitted_on"] = "2021-03-15";
  return claim;
}

template <class T>
T parsed(std::variant<T, Problems> v) {
  REQUIRE(std::holds_alternative<T>(v));
  return std::move(std::get<T>(v));
}

// The canonical text of a decision as decision_to_json renders it, without "seq".
std::string canonical_decision(json::object o) {
  o.erase("seq");
  auto text = audit::canonical_json(o);
  REQUIRE(text.ok());
  return text.value();
}

// The decision of record seq, as logged (read with plain SQL: this test is about the history).
std::string logged_decision(soci::session& sql, std::uint64_t seq) {
  std::string text;
  auto s = static_cast<long long>(seq);
  sql << "SELECT record FROM log WHERE seq = :seq", soci::into(text), soci::use(s);
  REQUIRE(sql.got_data());
  return canonical_decision(json::parse(text).as_object().at("decision").as_object());
}

struct Fed {
  std::set<std::string> people, claims;
  std::set<std::pair<Program, int>> totals;
};

// Decides step body with the warm history, feeds it, then records it through the recorder; the
// two decisions must be the same.
void decide_and_record(const GeneratedStep& step, StoreHistory& warm, soci::session& store, DecisionRecorder& recorder, Ledger& ledger,
                       const CatalogueView& catalogue, const RulesetSet& rulesets, Fed& fed) {
  Decision decision;
  Seq seq = ledger.last_seq() + 1;
  Result<std::uint64_t> recorded = store_error(StoreCode::invalid_argument, "not recorded");
  if (step.follow_up) {
    REQUIRE(decide_follow_up(step.claim_id, parsed(parse_follow_up(*step.follow_up, step.body)), warm, catalogue, rulesets,
                             decision).ok());
    Claim claim = warm.claim(step.claim_id)->claim;  // record() may reload the claim it came from
    for (const DecisionLine& line : decision.lines) fed.totals.insert({claim.program, line.governing_date.year()});
    warm.record(claim, decision, seq);
    recorded = record_generated_step(recorder, step);
  } else {
    Claim claim = parsed(parse_claim(step.body));
    REQUIRE_FALSE(warm.has_claim(claim.claim_id));
    REQUIRE(decide(claim, warm, catalogue, rulesets, decision).ok());
    warm.record(claim, decision, seq);
    recorded = recorder.record_claim(step.body);
    if (claim.person) fed.people.insert(claim.person->id_number.str());
    for (const Person& t : claim.trainees) fed.people.insert(t.id_number.str());
    for (const DecisionLine& line : decision.lines) fed.totals.insert({claim.program, line.governing_date.year()});
    fed.claims.insert(claim.claim_id);
  }
  REQUIRE_MESSAGE(recorded.ok(), recorded.error().message);
  REQUIRE(recorded.value() == seq);
  CHECK(canonical_decision(decision_to_json(decision)) == logged_decision(store, seq));
}


// Every answer of `actual` equals the ledger's (MemoryHistory), for everything fed and more.
void check_same(const MemoryHistory& expected, const StoreHistory& actual, const Fed& fed, std::string_view what) {
  INFO(what);
  for (const std::string& id : fed.people) {
    std::string diff = person_difference(expected.person(IdNumber(id)), actual.person(IdNumber(id)));
    CHECK_MESSAGE(diff.empty(), id << ": " << diff);
  }
  CHECK(actual.person(IdNumber(generated_person_id(5'999'999))) == nullptr);  // never named
  for (const std::string& claim_id : fed.claims) {
    std::string diff = claim_difference(expected.claim(claim_id), actual.claim(claim_id));
    CHECK_MESSAGE(diff.empty(), claim_id << ": " << diff);
    CHECK(actual.has_claim(claim_id));
  }
  CHECK_FALSE(actual.has_claim("HB-NEVER-DECIDED"));
  CHECK(actual.claim("HB-NEVER-DECIDED") == nullptr);
  for (const auto& [program, year] : fed.totals) {
    CHECK_MESSAGE(expected.approved_total(program, year) == actual.approved_total(program, year),
                  name_of(program) << " " << year);
  }
  CHECK(actual.approved_total(Program::work_for_training, 1999) == Fen(0));
}

}  // namespace

STORE_TEST("StoreHistory answers exactly what the ledger's MemoryHistory answers, cold and warm") {
  MemoryCatalogue catalogue = generated_catalogue();
  RulesetSet rulesets = generated_rulesets();
  auto store = db.open();
  Ledger ledger(rulesets, catalogue);
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2021) / 4 / 1));
  DecisionRecorder recorder(*store, ledger, rulesets, clock);
  auto warm = StoreHistory::open(db.url());
  REQUIRE(warm.ok());
  auto raw = db.raw();
  Fed fed;
  std::uint64_t steps = static_cast<std::uint64_t>(blocks) * decisions_per_block;
  for (std::uint64_t i = 0; i < steps; ++i) {
    decide_and_record(generated_step(i), *warm.value(), *raw, recorder, ledger, catalogue, rulesets, fed);
    if ((i + 1) % discard_every == 0) warm.value()->discard_cache();
    if (i % 400 == 17) {  // someone seen before, under another name
      int person = static_cast<int>(i / decisions_per_block) * 10;
      decide_and_record({std::nullopt, "", renamed_claim(person)}, *warm.value(), *raw, recorder, ledger, catalogue, rulesets, fed);
    }
  }
  REQUIRE(ledger.last_seq() > steps);
  const MemoryHistory& expected = ledger.history();
  REQUIRE(expected.people() == fed.people.size());

  // The log has what the comparison needs to be worth something.
  std::size_t settled = 0, with_months = 0, with_approvals = 0, renamed = 0, reviewed = 0, still_held = 0;
  for (const std::string& id : fed.people) {
    const PersonHistory* p = expected.person(IdNumber(id));
    with_months += !p->wft_months.empty();
    with_approvals += !p->approvals.empty();
  }
  for (const std::string& claim_id : fed.claims) {
    const ClaimHistory* c = expected.claim(claim_id);
    settled += c && c->settled;
    renamed += claim_id.starts_with("HB-W-RENAMED-");
    if (c && c->claim.program == Program::work_for_training) {
      reviewed += std::any_of(c->lines.begin(), c->lines.end(), [](const ClaimLineRecord& l) { return l.approved; });
      still_held += std::any_of(c->lines.begin(), c->lines.end(), [](const ClaimLineRecord& l) { return l.held; });
    }
  }
  CHECK(settled == blocks);
  CHECK(with_months >= 400);
  CHECK(with_approvals >= 100);
  CHECK(renamed >= 5);
  CHECK(reviewed == blocks);      // each block's review approved two held months
  CHECK(still_held >= blocks);    // and left the third claim's months held
  CHECK(fed.totals.size() >= 4);

  check_same(expected, *warm.value(), fed, "warm");
  warm.value()->discard_cache();
  check_same(expected, *warm.value(), fed, "warm, after discard_cache()");
  auto cold = StoreHistory::open(db.url());
  REQUIRE(cold.ok());
  check_same(expected, *cold.value(), fed, "cold");
}

STORE_TEST("StoreHistory caches what it looked up until discard_cache()") {
  MemoryCatalogue catalogue = generated_catalogue();
  RulesetSet rulesets = generated_rulesets();
  auto store = db.open();
  Ledger ledger(rulesets, catalogue);
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2021) / 4 / 1));
  DecisionRecorder recorder(*store, ledger, rulesets, clock);
  for (std::uint64_t i = 0; i < decisions_per_block; ++i) {
    GeneratedStep step = generated_step(i);
    auto seq = record_generated_step(recorder, step);
    REQUIRE(seq.ok());
  }
  auto opened = StoreHistory::open(db.url(), 3);
  REQUIRE(opened.ok());
  StoreHistory& history = *opened.value();
  CHECK(history.cached_people_max() == 3);
  CHECK(history.cached_people() == 0);
  IdNumber first(generated_person_id(0));
  const PersonHistory* p = history.person(first);
  REQUIRE(p != nullptr);
  CHECK(history.cached_people() == 1);
  CHECK(history.person(first) == p);  // the cached entry, not a new load
  CHECK(history.cached_people() == 1);
  for (int n = 1; n <= 4; ++n) history.person(IdNumber(generated_person_id(n)));
  CHECK(history.cached_people() == 5);  // the writer, not the view, enforces the maximum
  CHECK(history.person(IdNumber(generated_person_id(5'999'998))) == nullptr);
  CHECK(history.cached_people() == 6);  // an unknown person is cached too

  // A decision appended by another writer is not seen through the cache, and is after a discard.
  IdNumber newcomer(generated_person_id(50));  // not in block 0
  CHECK(history.person(newcomer) == nullptr);
  REQUIRE(recorder.record_claim(generated_wft_claim(50, 0)).ok());
  REQUIRE(ledger.history().person(newcomer) != nullptr);
  CHECK(ledger.history().person(newcomer)->wft_months.size() == 3);
  CHECK(history.person(newcomer) == nullptr);
  history.discard_cache();
  CHECK(history.cached_people() == 0);
  std::string diff = person_difference(ledger.history().person(newcomer), history.person(newcomer));
  CHECK_MESSAGE(diff.empty(), diff);
  CHECK(history.cached_people() == 1);
}

STORE_TEST("StoreHistory throws a StoreException when the store fails under it") {
  auto opened = StoreHistory::open(db.url());
  REQUIRE(opened.ok());
  auto raw = db.raw();
  *raw << "DROP TABLE people";
  try {
    opened.value()->person(IdNumber(generated_person_id(1)));
    FAIL("no exception");
  } catch (const StoreError& e) {  // the contract's name for it; also a std::runtime_error
    CHECK(e.code == StoreCode::database_error);
  }
  CHECK_THROWS_AS(opened.value()->person(IdNumber(generated_person_id(1))), std::runtime_error);
}
