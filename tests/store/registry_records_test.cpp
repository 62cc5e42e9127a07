// registry_import records (RECORD_FORMAT.md, "A registry_import record"): an import cut into
// parts, what append() refuses, and the registry the log's parts build when applied in order.

#include "store/registry_records.h"

#include "engine/calendar.h"
#include "engine/identity.h"
#include "engine/registry_json.h"
#include "store_fixture.h"

#include <boost/json.hpp>

#include <string>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

constexpr const char* token = "0123456789abcdef";
constexpr const char* decided_at = "2024-06-30T10:00:00Z";
const std::string file_sha(64, 'a');
const std::string other_sha(64, 'b');

// The n-th (0 to 27,999) of a series of valid resident id numbers: a day of January 1990 and a
// sequence number, with the check character computed, not typed.
std::string id_number(int n) {
  std::string sequence = std::to_string(1000 + n % 1000).substr(1);
  std::string id = "41010219900" + std::to_string(101 + n / 1000) + sequence;
  return id + *resident_id_check_char(id);
}

RegisteredPerson person(int n, const std::string& name, std::vector<Certification> certifications = {}) {
  return RegisteredPerson{id_number(n), name, std::move(certifications)};
}

Certification certified(Category category, const char* from, std::optional<Date> to = std::nullopt) {
  return Certification{category, "就困认字〔2019〕第001号", *parse_date(from), to};
}

RegistryImportFacts facts_of(const std::vector<RegisteredPerson>& persons, std::size_t rows) {
  return RegistryImportFacts{file_sha, RegistryFormat::csv, rows, persons.size()};
}

json::object body_of(const NewRecord& r) {
  auto body = body_object(r);
  REQUIRE(body.ok());
  return body.value();
}

std::vector<RegisteredPerson> persons_of(const std::vector<NewRecord>& parts) {
  std::vector<RegisteredPerson> out;
  for (const NewRecord& r : parts) {
    MemoryRegistry one;
    REQUIRE(apply_registry_import(body_of(r), one, 1).ok());
    for (const auto& [id, entry] : one.entries()) out.push_back(entry.person);
  }
  return out;
}

}  // namespace

TEST_CASE("an import that names many persons is cut into parts that each stay under the byte limit") {
  std::vector<RegisteredPerson> persons;
  for (int n = 0; n < 9000; ++n) {
    persons.push_back(person(n, "张三" + std::to_string(n), {certified(Category::employment_difficult, "2019-01-01")}));
  }
  std::sort(persons.begin(), persons.end(), [](const auto& a, const auto& b) { return a.id_number < b.id_number; });
  std::vector<NewRecord> parts = registry_import_records(facts_of(persons, 9000), persons, token, decided_at);
  REQUIRE(parts.size() >= 2);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const json::object body = body_of(parts[i]);
    CHECK(parts[i].body.empty());
    CHECK(parts[i].type == "registry_import");
    CHECK(body.at("part").to_number<std::size_t>() == i + 1);
    CHECK(body.at("parts").to_number<std::size_t>() == parts.size());
    CHECK(body.at("import").at("persons").to_number<std::size_t>() == 9000);
    CHECK(body.at("import").at("sha256") == file_sha.c_str());
    CHECK(json::serialize(body.at("persons")).size() <= registry_part_persons_bytes_max + 2);
    CHECK(check_registry_import_body(body, 7).ok());
    RegistryImportFacts f = registry_import_facts(body);
    CHECK(f.rows == 9000);
    CHECK(f.format == RegistryFormat::csv);
  }
  // Only the last part, which the import is answered with, comes back from the append with its text.
  for (std::size_t i = 0; i < parts.size(); ++i) CHECK(parts[i].returned_with_text == (i + 1 == parts.size()));
  // Every person once, in the order given.
  CHECK(persons_of(parts) == persons);
  // Applied in order, the parts are one import from the first part's seq to the last's.
  MemoryRegistry registry;
  for (std::size_t i = 0; i < parts.size(); ++i) REQUIRE(apply_registry_import(body_of(parts[i]), registry, 20 + i).ok());
  CHECK(*registry.import_of(file_sha) == RegistryImportEntry{20, 20 + parts.size() - 1, 9000, 9000});
  CHECK(registry.size() == 9000);
}

TEST_CASE("an import that names nobody is one part without persons") {
  std::vector<NewRecord> parts = registry_import_records(facts_of({}, 0), {}, token, decided_at);
  REQUIRE(parts.size() == 1);
  CHECK(body_of(parts[0]).at("persons").as_array().empty());
  CHECK(body_of(parts[0]).at("part") == 1);
  CHECK(body_of(parts[0]).at("parts") == 1);
  CHECK(check_registry_import_body(body_of(parts[0])).ok());
}

TEST_CASE("a registry_import body the import format would refuse is refused naming what is wrong") {
  std::vector<RegisteredPerson> persons = {person(1, "李四", {certified(Category::veteran, "2019-05-01")})};
  json::object good = body_of(registry_import_records(facts_of(persons, 1), persons, token, decided_at)[0]);
  struct Case {
    const char* what;
    void (*damage)(json::object&);
    const char* named;
    bool persons_damaged = true;  // apply reads the persons and the facts, not the numbering
  };
  const Case cases[] = {
      {"a wrong check character", [](json::object& b) {
         std::string id(b["persons"].as_array()[0].as_object()["id_number"].as_string());
         id.back() = id.back() == '0' ? '1' : '0';
         b["persons"].as_array()[0].as_object()["id_number"] = id;
       }, "/persons/0/id_number"},
      {"an unknown category", [](json::object& b) {
         b["persons"].as_array()[0].as_object()["certifications"].as_array()[0].as_object()["category"] = "astronaut";
       }, "/persons/0/certifications/0/category"},
      {"no import facts", [](json::object& b) { b.erase("import"); }, "\"import\""},
      {"a bad file digest", [](json::object& b) { b["import"].as_object()["sha256"] = "abc"; }, "sha256"},
      {"a part beyond the parts", [](json::object& b) { b["part"] = 2; }, "\"part\"", false},
      {"no persons array", [](json::object& b) { b["persons"] = "nobody"; }, "\"persons\""},
  };
  for (const Case& c : cases) {
    CAPTURE(c.what);
    json::object body = good;
    c.damage(body);
    Status s = check_registry_import_body(body, 12);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == StoreCode::invalid_argument);
    CHECK(s.error().message.find(c.named) != std::string::npos);
    MemoryRegistry registry;
    registry.replace(person(9, "王五"), 3);
    MemoryRegistry before = registry;
    if (c.persons_damaged) CHECK_FALSE(apply_registry_import(body, registry, 12).ok());
    CHECK(registry == before);
  }
}

STORE_TEST("registry imports appended to the log rebuild the registry when applied in order") {
  auto store = db.open();
  std::vector<RegisteredPerson> first = {
      person(1, "李四", {certified(Category::veteran, "2019-05-01")}),
      person(2, "王五", {certified(Category::employment_difficult, "2019-01-01", *parse_date("2020-12-31")),
                         certified(Category::disabled, "2018-03-01")}),
      person(3, "赵六"),
  };
  std::vector<RegisteredPerson> second = {person(2, "王五", {certified(Category::poor_laborer, "2020-01-01")})};
  auto parts = registry_import_records(facts_of(first, 4), first, token, decided_at);
  RegistryImportFacts second_facts = facts_of(second, 1);
  second_facts.sha256 = other_sha;
  auto later = registry_import_records(second_facts, second, token, decided_at);
  parts.insert(parts.end(), later.begin(), later.end());
  REQUIRE(store->append(parts).ok());

  auto records = store->read(1, 10);
  REQUIRE(records.ok());
  REQUIRE(records.value().size() == 2);
  MemoryRegistry registry;
  for (const StoredRecord& r : records.value()) {
    CHECK(r.type == "registry_import");
    REQUIRE(apply_registry_import(json::parse(r.canonical).as_object(), registry, r.seq).ok());
  }
  CHECK(registry.size() == 3);
  // The later import replaced what the registry held for 王五 alone, from its own seq on.
  CHECK(registry.find(id_number(2))->person == second[0]);
  CHECK(registry.find(id_number(2))->seq == 2);
  CHECK(registry.find(id_number(1))->person == first[0]);
  CHECK(registry.find(id_number(1))->seq == 1);
  CHECK(registry.find(id_number(3))->person.certifications.empty());
  CHECK(registry.find(id_number(4)) == nullptr);
  // Each file once, by its SHA-256, with the seqs of its parts.
  REQUIRE(registry.import_of(file_sha) != nullptr);
  CHECK(*registry.import_of(file_sha) == RegistryImportEntry{1, 1, 4, 3});
  CHECK(registry.import_of(other_sha) != nullptr);
  CHECK(registry.import_of(other_sha)->first_seq == 2);
  CHECK(registry.import_of(std::string(64, 'c')) == nullptr);
  CHECK(certified_on(registry.find(id_number(1))->person, Category::veteran, *parse_date("2019-05-01")));
  CHECK_FALSE(certified_on(registry.find(id_number(1))->person, Category::veteran, *parse_date("2019-04-30")));
}

STORE_TEST("append refuses a malformed registry_import record and stores nothing of its batch") {
  auto store = db.open();
  std::vector<RegisteredPerson> persons = {person(1, "李四")};
  auto parts = registry_import_records(facts_of(persons, 1), persons, token, decided_at);
  NewRecord bad{parts[0].type, body_of(parts[0]), ""};
  bad.body["persons"].as_array()[0].as_object()["name"] = "";
  parts.push_back(bad);
  auto appended = store->append(parts);
  REQUIRE_FALSE(appended.ok());
  CHECK(appended.error().message.find("/persons/0/name") != std::string::npos);
  CHECK(store->read(1, 10).value().empty());
}
