// The one state machine over the log (app/apply.h): the state a server builds while deciding
// equals the state folded from the log it wrote, from seq 1 or in pieces, for every record type
// (catalogue, budget, registry imports, initial decisions of every program, reviews, settlements); and a record
// the state cannot take is refused, naming its seq, with the state left as it was.
#include "app/apply.h"
#include "app/log_fold.h"
#include "app/snapshot.h"
#include "app/state_codec.h"
#include "app/state.h"
#include "claim_generator.h"
#include "engine/claim_parser.h"
#include "engine/evaluator.h"
#include "engine/follow_up.h"
#include "engine/identity.h"
#include "engine/ledger.h"
#include "history_compare.h"
#include "store/catalogue_records.h"
#include "store/decision_record.h"
#include "store/record_format.h"
#include "store/class_filing_records.h"
#include "store/registry_records.h"
#include "store_fixture.h"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;
namespace rf = subsidy::store::record_format;

namespace {

constexpr const char* decided_at = "2020-11-01T00:00:00Z";

// A log of every record type, written as the server writes it: each record applied to a live
// state as it is decided. What it names is kept for comparing states.
struct WrittenLog {
  app::State live;
  std::set<std::string> people;
  std::set<std::string> claims;
  std::uint64_t records = 0;
};

// An import naming persons first to first + count - 1 (valid resident ids, names by number);
// with a veteran's certification from 2019 for the even ones.
std::vector<NewRecord> registry_import(int first, int count, const std::string& name_prefix) {
  std::vector<RegisteredPerson> persons;
  for (int n = first; n < first + count; ++n) {
    std::string sequence = std::to_string(1000 + n).substr(1);
    std::string id = "41010219800101" + sequence;
    id += *resident_id_check_char(id);
    RegisteredPerson p{id, name_prefix + std::to_string(n), {}};
    if (n % 2 == 0) p.certifications.push_back({Category::veteran, "退役证 " + sequence, *parse_date("2019-03-01"), std::nullopt});
    persons.push_back(std::move(p));
  }
  RegistryImportFacts facts{std::string(64, first == 0 ? 'a' : 'b'), RegistryFormat::csv, persons.size(), persons.size()};
  return registry_import_records(facts, persons, "admin", decided_at);
}

// A filing of class HB-CL-<n> with two trainees on its roster.
std::vector<NewRecord> class_filing(int n) {
  ClassFiling f;
  f.class_id = "HB-CL-2020-" + std::to_string(n);
  f.credit_code = CreditCode("52411202MA44D0004E");
  f.project_code = "HB-PJ-CARE-01";
  f.period = Period{*parse_date("2020-07-13"), *parse_date("2020-08-11")};
  f.hours = 100 + n;
  f.filed_on = *parse_date("2020-06-29");
  f.roster = {RosterEntry{IdNumber("411202199207203350"), "王五"}, RosterEntry{IdNumber("411202198811114464"), "赵六"}};
  return {class_filing_record(f, "institution", decided_at)};
}

void note_people(const Claim& claim, WrittenLog& out) {
  if (claim.person) out.people.insert(claim.person->id_number.str());
  for (const Person& t : claim.trainees) out.people.insert(t.id_number.str());
  out.claims.insert(claim.claim_id);
}

WrittenLog write_log(LogStore& store, std::uint64_t decisions) {
  WrittenLog out;
  RulesetSet rulesets = generated_rulesets();
  std::vector<NewRecord> records = generated_catalogue_records(decided_at);
  for (NewRecord& r : records) {
    json::object logged = r.body;
    logged[rf::type_field] = r.type;
    REQUIRE(app::apply(out.live, app::catalogue_record(out.live.seq() + 1, r.type, logged)).ok());
  }
  // Persons registered before the decisions; some of them registered again, with other names,
  // three quarters of the way through (after the snapshot the tests take half-way).
  auto apply_logged = [&](std::vector<NewRecord> batch) {
    for (NewRecord& r : batch) {
      json::object logged = body_object(r).value();
      logged[rf::type_field] = r.type;
      REQUIRE(app::apply(out.live, app::catalogue_record(out.live.seq() + 1, r.type, logged)).ok());
      records.push_back(std::move(r));
    }
  };
  apply_logged(registry_import(0, 40, "甲"));
  apply_logged(class_filing(1));
  RulesetArchive archive(rulesets);
  Decision d;
  for (std::uint64_t i = 0; i < decisions; ++i) {
    if (i == decisions * 3 / 4) {
      apply_logged(registry_import(30, 20, "乙"));
      apply_logged(class_filing(2));
    }
    GeneratedStep step = generated_step(i);
    const Seq seq = out.live.seq() + 1;
    std::string claim_id = step.claim_id;
    if (step.follow_up) {
      auto parsed = parse_follow_up(*step.follow_up, step.body);
      REQUIRE(std::holds_alternative<FollowUpRequest>(parsed));
      REQUIRE(decide_follow_up(step.claim_id, std::get<FollowUpRequest>(parsed), out.live.history(), out.live.catalogue(),
                               out.live.systems(), rulesets, d).ok());
      REQUIRE(app::apply(out.live, app::decision_record(seq, nullptr, d)).ok());
    } else {
      auto parsed = parse_claim(step.body);
      REQUIRE(std::holds_alternative<Claim>(parsed));
      const Claim& claim = std::get<Claim>(parsed);
      REQUIRE(decide(claim, out.live.history(), out.live.catalogue(), out.live.systems(), rulesets, d).ok());
      REQUIRE(app::apply(out.live, app::decision_record(seq, &claim, d)).ok());
      note_people(claim, out);
      claim_id = claim.claim_id;
    }
    json::object decision = numbered_decision_json(seq, d);
    REQUIRE(archive.ensure_stored(store, decision.at("rulesets")).ok());
    records.push_back(make_decision_record(step.body, claim_id, std::move(decision), decided_at, ""));
  }
  auto appended = store.append(records);
  REQUIRE_MESSAGE(appended.ok(), appended.error().message);
  out.records = records.size();
  return out;
}

// What differs between two states, "" when nothing does.
std::string state_difference(const app::State& a, const app::State& b, const WrittenLog& log) {
  if (a.seq() != b.seq()) return "seq " + std::to_string(a.seq()) + " against " + std::to_string(b.seq());
  for (const std::string& id : log.people) {
    IdNumber n(id);
    if (std::string d = person_difference(a.history().person(n), b.history().person(n)); !d.empty()) return id + ": " + d;
  }
  for (const std::string& c : log.claims) {
    if (a.history().has_claim(c) != b.history().has_claim(c)) return "has_claim " + c;
    if (std::string d = claim_difference(a.history().claim(c), b.history().claim(c)); !d.empty()) return c + ": " + d;
  }
  for (Program p : {Program::work_for_training, Program::pre_job_training, Program::project_training}) {
    for (int year = 2019; year <= 2022; ++year) {
      if (a.history().approved_total(p, year) != b.history().approved_total(p, year)) {
        return "approved total of " + std::string(name_of(p)) + " " + std::to_string(year);
      }
    }
  }
  if (a.catalogue().institutions().size() != b.catalogue().institutions().size() ||
      a.catalogue().projects().size() != b.catalogue().projects().size() ||
      a.catalogue().budgets() != b.catalogue().budgets()) {
    return "catalogue";
  }
  if (!(a.registry() == b.registry())) {
    return "registry: " + std::to_string(a.registry().size()) + " persons against " + std::to_string(b.registry().size());
  }
  if (a.memory_systems().class_filings() != b.memory_systems().class_filings()) {
    return "class filings: " + std::to_string(a.memory_systems().class_filings().size()) + " against " +
           std::to_string(b.memory_systems().class_filings().size());
  }
  return "";
}

}  // namespace

STORE_TEST("the state folded from the log, from seq 1 or in pieces, is the state that wrote it") {
  auto store = db.open();
  WrittenLog log = write_log(*store, 2 * decisions_per_block);
  REQUIRE(log.live.seq() == log.records);
  REQUIRE(log.live.registry().size() == 50);
  CHECK(log.live.registry().entries().begin()->second.person.name == "甲0");
  CHECK(log.live.registry().entries().rbegin()->second.person.name == "乙49");
  REQUIRE(log.live.memory_systems().class_filings().size() == 2);
  CHECK(log.live.systems().class_filing("HB-CL-2020-2")->filing.hours == 102);
  std::size_t kept = 0;  // classes and claims with held lines: what reviews and settlements need
  for (const std::string& c : log.claims) kept += log.live.history().claim(c) != nullptr ? 1 : 0;
  REQUIRE(kept >= 3);

  app::State folded;
  auto n = app::fold_log(folded, *store);
  REQUIRE_MESSAGE(n.ok(), n.error().message);
  CHECK(n.value() == log.records);
  CHECK_MESSAGE(state_difference(log.live, folded, log).empty(), state_difference(log.live, folded, log));

  // In pieces: the first records, then the rest, as a server that follows another's appends.
  app::State pieces;
  auto head = store->read(1, 30);
  REQUIRE(head.ok());
  for (const StoredRecord& r : head.value()) REQUIRE(app::fold_record(pieces, r).ok());
  CHECK(pieces.seq() == 30);
  CHECK(!state_difference(log.live, pieces, log).empty());  // not there yet
  n = app::fold_log(pieces, *store);
  REQUIRE(n.ok());
  CHECK(n.value() == log.records - 30);
  CHECK_MESSAGE(state_difference(log.live, pieces, log).empty(), state_difference(log.live, pieces, log));

  // Nothing new: folding again applies nothing.
  n = app::fold_log(pieces, *store);
  REQUIRE(n.ok());
  CHECK(n.value() == 0);
}

STORE_TEST("a snapshot of the state plus the log's tail is the state folded from seq 1") {
  auto store = db.open();
  WrittenLog log = write_log(*store, 2 * decisions_per_block);
  app::State from_start;
  REQUIRE(app::fold_log(from_start, *store).ok());

  // A snapshot taken part-way (as a server takes one every snapshot_every records), written to
  // a file and read back, then the rest of the log.
  const std::uint64_t at = log.records / 2;
  app::State part;
  auto head = store->read(1, at);
  REQUIRE(head.ok());
  for (const StoredRecord& r : head.value()) REQUIRE(app::fold_record(part, r).ok());
  std::string bytes = app::encode_state(part);
  auto path = std::filesystem::temp_directory_path() / ("subsidy-snapshot-test-" + std::to_string(::getpid()));
  REQUIRE(app::write_snapshot_file(path, bytes, at, head.value().back().hash).ok());
  auto snapshot = app::read_snapshot_file(path);
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(snapshot.ok(), snapshot.error().message);
  CHECK(snapshot.value().hash == head.value().back().hash);
  CHECK(app::encode_state(snapshot.value().state) == bytes);  // decode gives back every fact
  app::State resumed = std::move(snapshot.value().state);
  auto tail = app::fold_log(resumed, *store);
  REQUIRE_MESSAGE(tail.ok(), tail.error().message);
  CHECK(tail.value() == log.records - at);

  CHECK_MESSAGE(state_difference(from_start, resumed, log).empty(), state_difference(from_start, resumed, log));
  CHECK_MESSAGE(state_difference(log.live, resumed, log).empty(), state_difference(log.live, resumed, log));
  // Byte for byte: the same people in the same order, every claim, every catalogue version.
  CHECK(app::encode_state(resumed) == app::encode_state(from_start));
  CHECK(app::encode_state(resumed) != bytes);  // and the tail did change it
}

STORE_TEST("a torn, damaged or missing snapshot file is refused, never half read") {
  auto store = db.open();
  WrittenLog log = write_log(*store, decisions_per_block);
  std::string bytes = app::encode_state(log.live);
  auto path = std::filesystem::temp_directory_path() / ("subsidy-torn-test-" + std::to_string(::getpid()));
  auto missing = app::read_snapshot_file(path);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == StoreCode::not_found);

  REQUIRE(app::write_snapshot_file(path, bytes, log.live.seq(), std::string(64, 'a')).ok());
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
  const auto size = std::filesystem::file_size(path);
  std::string whole;
  {
    std::ifstream in(path, std::ios::binary);
    whole.assign(std::istreambuf_iterator<char>(in), {});
  }
  REQUIRE(whole.size() == size);
  auto rewrite = [&](const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  };
  for (std::size_t cut : {std::size_t{0}, std::size_t{10}, size / 2, size - 1}) {
    rewrite(whole.substr(0, cut));  // a crash part-way through a copy, or a disk that lost the end
    auto torn = app::read_snapshot_file(path);
    REQUIRE_FALSE(torn.ok());
    CHECK(torn.error().code == StoreCode::corruption);
  }
  std::string damaged = whole;
  damaged[size / 3] = static_cast<char>(damaged[size / 3] ^ 0x20);
  rewrite(damaged);
  auto bad = app::read_snapshot_file(path);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("checksum") != std::string::npos);

  rewrite(whole);
  auto good = app::read_snapshot_file(path);
  std::filesystem::remove(path);
  REQUIRE(good.ok());
  CHECK(good.value().state.seq() == log.live.seq());
  CHECK(app::encode_state(good.value().state) == bytes);

  // Bytes that pass a checksum but are not a state: refused by the decoder, not read past.
  CHECK_FALSE(app::decode_state(bytes.substr(0, bytes.size() - 1)).ok());
  CHECK_FALSE(app::decode_state(bytes + "x").ok());
}

STORE_TEST("a record the state cannot take is refused with its seq and changes nothing") {
  auto store = db.open();
  WrittenLog log = write_log(*store, decisions_per_block);
  auto all = store->read(1, rf::read_records_max);
  REQUIRE(all.ok());
  std::vector<StoredRecord> rows = all.value();

  // The catalogue and budget records come first; fold them.
  std::size_t first_decision = 0;
  while (rows[first_decision].type != rf::type_decision) ++first_decision;
  REQUIRE(first_decision >= 2);
  app::State state;
  for (std::size_t i = 0; i < first_decision; ++i) REQUIRE(app::fold_record(state, rows[i]).ok());
  const Seq at = state.seq();

  // Out of order: the record after next.
  store::Status gap = app::fold_record(state, rows[first_decision + 1]);
  REQUIRE(!gap.ok());
  CHECK(gap.error().code == StoreCode::corruption);
  CHECK(gap.error().seq == at + 2);
  CHECK(state.seq() == at);

  // The same record twice.
  store::Status again = app::fold_record(state, rows[first_decision - 1]);
  REQUIRE(!again.ok());
  CHECK(again.error().seq == at);

  // A decision whose line names a month its claim does not have.
  StoredRecord broken = rows[first_decision];
  json::value v = json::parse(broken.canonical);
  json::array& lines = v.as_object()["decision"].as_object()["lines"].as_array();
  REQUIRE(!lines.empty());
  lines[0].as_object()["subject"] = "not-a-subject";
  broken.canonical = json::serialize(v);
  store::Status bad = app::fold_record(state, broken);
  REQUIRE(!bad.ok());
  CHECK(bad.error().seq == broken.seq);
  CHECK(bad.error().message.find("/lines/0/subject") != std::string::npos);
  CHECK(state.seq() == at);

  // A settlement of a claim no record keeps.
  app::State empty;
  Decision settlement;
  settlement.claim_id = "NO-SUCH-CLASS";
  settlement.kind = DecisionKind::settlement;
  settlement.program = Program::project_training;
  store::Status orphan = app::apply(empty, app::decision_record(1, nullptr, settlement));
  REQUIRE(!orphan.ok());
  CHECK(orphan.error().message.find("NO-SUCH-CLASS") != std::string::npos);
  CHECK(empty.seq() == 0);

  // A type the log does not have.
  store::Status unknown = app::apply(empty, app::inert_record(1, "gossip"));
  REQUIRE(!unknown.ok());
  CHECK(empty.seq() == 0);

  // The rest of the log still folds after the refusals.
  auto n = app::fold_log(state, *store);
  REQUIRE_MESSAGE(n.ok(), n.error().message);
  CHECK(state.seq() == log.records);
  CHECK(state_difference(log.live, state, log).empty());
}

TEST_CASE("a class_filing record is applied once: a class_id filed twice or a malformed filing is corruption") {
  app::State state;
  std::vector<NewRecord> first = class_filing(7);
  json::object logged = first[0].body;
  logged[rf::type_field] = first[0].type;
  REQUIRE(app::apply(state, app::catalogue_record(1, first[0].type, logged)).ok());
  REQUIRE(state.systems().class_filing("HB-CL-2020-7") != nullptr);
  CHECK(state.systems().class_filing("HB-CL-2020-7")->seq == 1);

  store::Status twice = app::apply(state, app::catalogue_record(2, first[0].type, logged));
  REQUIRE_FALSE(twice.ok());
  CHECK(twice.error().message.find("filed twice") != std::string::npos);

  json::object malformed = logged;
  malformed["filing"].as_object()["hours"] = 0;
  malformed["filing"].as_object()["class_id"] = "HB-CL-2020-8";
  store::Status bad = app::apply(state, app::catalogue_record(2, first[0].type, malformed));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.find("/hours") != std::string::npos);
  CHECK(state.systems().class_filing("HB-CL-2020-8") == nullptr);
  CHECK(state.seq() == 1);
  malformed.erase(rf::type_field);  // as append() checks it: before the store sets the type
  CHECK(store::check_class_filing_body(malformed).error().message.find("/hours") != std::string::npos);
  CHECK(store::check_class_filing_body(first[0].body).ok());
}
