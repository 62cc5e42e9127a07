// Catalogue and budget records: what append() accepts and writes beside them, the replace
// semantics of a put (api.md), and StoreCatalogue == applying the log's records in order.

#include "store/catalogue_records.h"

#include "engine/calendar.h"
#include "engine/limits.h"
#include "store/store_catalogue.h"
#include "store_fixture.h"

#include <boost/json.hpp>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

constexpr const char* token = "0123456789abcdef";
constexpr const char* school = "52411202MA44D0004E";  // a valid credit code

Date day(const char* text) { return *parse_date(text); }

InstitutionEntry institution(const std::string& name, const char* from, std::optional<Date> to = std::nullopt) {
  return InstitutionEntry{school, name, "training", day(from), to};
}

ProjectEntry project(const std::string& code, std::int64_t fen, const char* from) {
  return ProjectEntry{code, "养老护理员培训", "养老护理员", Program::project_training, Fen(fen), day(from), std::nullopt};
}

std::string at(int second) {
  char text[32];
  std::snprintf(text, sizeof text, "2024-05-01T08:30:%02dZ", second);
  return text;
}

// Every record of the log, applied in seq order to a fresh MemoryCatalogue (what replay does).
MemoryCatalogue replayed(LogStore& store) {
  MemoryCatalogue out;
  auto rows = store.read(1, 1000);
  REQUIRE(rows.ok());
  for (const StoredRecord& row : rows.value()) {
    Status s = apply_record(json::parse(row.canonical).as_object(), out);
    REQUIRE_MESSAGE(s.ok(), s.error().message);
  }
  return out;
}

std::string listing(const InstitutionEntry& e) {
  return e.credit_code + " " + e.name + " " + e.kind + " " + format_date(e.valid_from) + " " +
         (e.valid_to ? format_date(*e.valid_to) : "-");
}
std::string listing(const ProjectEntry& e) {
  return e.code + " " + e.name + " " + e.occupation + " " + std::string(name_of(e.program)) + " " +
         std::to_string(e.standard.value()) + " " + format_date(e.valid_from);
}

template <class View>
std::vector<std::string> listings(const View& v) {
  std::vector<std::string> out;
  for (const InstitutionEntry& e : v.institutions()) out.push_back(listing(e));
  for (const ProjectEntry& e : v.projects()) out.push_back(listing(e));
  for (const auto& [program, year, amount] : v.budgets()) {
    out.push_back(std::string(name_of(program)) + " " + std::to_string(year) + " " + std::to_string(amount.value()));
  }
  return out;
}

void check_refused(LogStore& store, NewRecord record, std::string_view field) {
  auto appended = store.append(std::vector<NewRecord>{std::move(record)});
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.error().code == StoreCode::invalid_argument);
  CHECK_MESSAGE(appended.error().message.find(field) != std::string::npos, appended.error().message);
}

}  // namespace

TEST_CASE("a put replaces the entry of its key in a MemoryCatalogue from then on") {
  MemoryCatalogue c;
  c.put_institution(institution("v1", "2019-01-01", day("2019-12-31")));
  c.put_institution(institution("v2", "2020-01-01"));
  CHECK(c.institution(school, day("2019-06-01"))->name == "v1");  // put adds a version
  c.replace_institution(institution("v3", "2021-01-01"));
  CHECK(c.institution(school, day("2019-06-01")) == nullptr);  // replace leaves only the new one
  CHECK(c.institution(school, day("2021-06-01"))->name == "v3");
  CHECK(c.any_institution(school)->name == "v3");
  c.replace_project(project("P-1", 100, "2019-01-01"));
  c.replace_project(project("P-1", 200, "2020-01-01"));
  CHECK(c.projects().size() == 1);
  CHECK(c.any_project("P-1")->standard == Fen(200));
  CHECK(c.project("P-1", day("2019-06-01")) == nullptr);
}

STORE_TEST("catalogue and budget records replace entries and load as the log applied in order") {
  auto store = db.open();
  std::vector<NewRecord> batch = {
      institution_record(institution("湖滨区职业技能培训学校", "2019-01-01"), token, at(1)),
      project_record(project("HB-PJ-CARE-01", 150000, "2019-01-01"), token, at(2)),
      budget_record(Program::work_for_training, 2020, Fen(5'000'000'00), token, at(3)),
      project_record(project("HB-PJ-CARE-02", 90000, "2019-01-01"), token, at(4)),
      // Replacements: a new name and a closed validity; a new standard; a new budget.
      institution_record(institution("湖滨区技工学校", "2019-01-01", day("2020-12-31")), token, at(5)),
      project_record(project("HB-PJ-CARE-01", 160000, "2020-07-01"), token, at(6)),
      budget_record(Program::work_for_training, 2020, Fen(6'000'000'00), token, at(7)),
      budget_record(Program::project_training, 2020, Fen(0), token, at(8)),
  };
  REQUIRE(store->append(batch).ok());
  auto raw = db.raw();
  CHECK(count_rows(*raw, "catalogue_entries") == 3);
  CHECK(count_rows(*raw, "budgets") == 2);

  auto loaded = StoreCatalogue::load(db.url());
  REQUIRE(loaded.ok());
  StoreCatalogue& c = *loaded.value();
  CHECK(c.any_institution(school)->name == "湖滨区技工学校");
  CHECK(c.institution(school, day("2021-01-01")) == nullptr);
  CHECK(c.any_project("HB-PJ-CARE-01")->standard == Fen(160000));
  CHECK(c.project("HB-PJ-CARE-01", day("2020-03-01")) == nullptr);  // replaced from then on
  CHECK(c.project("HB-PJ-CARE-02", day("2020-03-01"))->standard == Fen(90000));
  CHECK(c.budget(Program::work_for_training, 2020) == Fen(6'000'000'00));
  CHECK(c.budget(Program::project_training, 2020) == Fen(0));
  CHECK_FALSE(c.budget(Program::pre_job_training, 2020).has_value());
  CHECK(listings(c) == listings(replayed(*store)));
  CHECK(listings(c).size() == 5);

  // Records appended later are in the next load, as replay applies them.
  NewRecord more = budget_record(Program::pre_job_training, 2021, Fen(7), token, at(9));
  REQUIRE(store->append(std::vector<NewRecord>{more}).ok());
  NewRecord put = project_record(project("HB-PJ-CARE-02", 95000, "2019-01-01"), token, at(10));
  REQUIRE(store->append(std::vector<NewRecord>{put}).ok());
  auto reloaded = StoreCatalogue::load(db.url());
  REQUIRE(reloaded.ok());
  const StoreCatalogue& r = *reloaded.value();
  CHECK(listings(r) == listings(replayed(*store)));
  CHECK(listings(r) != listings(c));
  CHECK(r.budget(Program::pre_job_training, 2021) == Fen(7));
  CHECK(r.any_project("HB-PJ-CARE-02")->standard == Fen(95000));
}

STORE_TEST("malformed catalogue and budget bodies are refused by append naming the field") {
  auto store = db.open();
  auto field = [](NewRecord r, std::string_view name, json::value v) {
    r.body[name] = std::move(v);
    return r;
  };
  NewRecord put = project_record(project("HB-PJ-CARE-01", 150000, "2019-01-01"), token, at(1));
  NewRecord school_put = institution_record(institution("学校", "2019-01-01"), token, at(1));
  NewRecord budget = budget_record(Program::work_for_training, 2020, Fen(100), token, at(1));
  check_refused(*store, field(put, "action", "delete"), "\"action\"");
  check_refused(*store, field(put, "kind", "school"), "\"kind\"");
  check_refused(*store, field(school_put, "key", "52411202MA44D0004A"), "\"key\"");  // bad check character
  check_refused(*store, field(put, "key", ""), "\"key\"");
  check_refused(*store, field(put, "token_id", 7), "\"token_id\"");
  check_refused(*store, field(put, "entry", "text"), "\"entry\"");
  json::object entry = put.body.at("entry").as_object();
  entry["standard_fen"] = -1;
  check_refused(*store, field(put, "entry", entry), "standard_fen");
  entry = put.body.at("entry").as_object();
  entry["valid_to"] = "2018-01-01";
  check_refused(*store, field(put, "entry", entry), "valid_to");
  entry = school_put.body.at("entry").as_object();
  entry.erase("kind");
  check_refused(*store, field(school_put, "entry", entry), "kind");
  check_refused(*store, field(budget, "program", "pensions"), "\"program\"");
  check_refused(*store, field(budget, "year", "2020"), "\"year\"");
  check_refused(*store, field(budget, "amount_fen", -5), "\"amount_fen\"");
  check_refused(*store, field(budget, "amount_fen", 1.5), "\"amount_fen\"");
  CHECK(store->head().value().seq == 0);
  REQUIRE(store->append(std::vector<NewRecord>{put, school_put, budget}).ok());
}

TEST_CASE("a budget record's year is bounded as the API bounds it (engine/limits.h)") {
  for (int year : {subsidy::limits::budget_year_min - 1, subsidy::limits::budget_year_max + 1}) {
    NewRecord r = budget_record(Program::work_for_training, year, Fen(100), "", "2020-11-01T00:00:00Z");
    CHECK_FALSE(check_record_body(r.type, r.body).ok());
  }
  for (int year : {subsidy::limits::budget_year_min, subsidy::limits::budget_year_max}) {
    NewRecord r = budget_record(Program::work_for_training, year, Fen(100), "", "2020-11-01T00:00:00Z");
    CHECK(check_record_body(r.type, r.body).ok());
  }
}
