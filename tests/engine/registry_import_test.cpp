#include "engine/registry_import.h"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace subsidy;

namespace {

// Valid check characters, computed for these tests (the published vectors are in identity_test).
constexpr const char* id_a = "411202199001011230";
constexpr const char* id_b = "411202198506150020";
constexpr const char* id_c = "411202200002290038";
constexpr const char* id_bad_check = "411202199001011231";

constexpr std::string_view header = "id_number,name,category,certificate,valid_from,valid_to\n";

Date date(const char* text) { return *parse_date(text); }

RegistryImport read_whole(RegistryFormat format, std::string_view text,
                          std::size_t rows_max = registry_import_rows_max) {
  RegistryImportReader reader(format, rows_max);
  reader.feed(text);
  return reader.finish();
}

RegistryImport read_bytewise(RegistryFormat format, std::string_view text) {
  RegistryImportReader reader(format);
  for (char c : text) reader.feed(std::string_view(&c, 1));
  return reader.finish();
}

RegistryImport read_split(RegistryFormat format, std::string_view text, std::size_t at) {
  RegistryImportReader reader(format);
  reader.feed(text.substr(0, at));
  reader.feed("");
  reader.feed(text.substr(at));
  return reader.finish();
}

void check_same(const RegistryImport& a, const RegistryImport& b) {
  CHECK(a.persons == b.persons);
  CHECK(a.rows == b.rows);
  CHECK(a.problems == b.problems);
  CHECK(a.too_many_rows == b.too_many_rows);
}

// The problems of a CSV file made of the standard header and `rows` (line 2 on).
Problems csv_problems(std::string_view rows) {
  return read_whole(RegistryFormat::csv, std::string(header) + std::string(rows)).problems;
}
Problems json_problems(std::string_view lines) {
  return read_whole(RegistryFormat::json_lines, lines).problems;
}

std::string repeat(std::string_view piece, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += piece;
  return out;
}

void list_problems(const RegistryImport& import) {
  for (const auto& p : import.problems) INFO(p.pointer, ": ", p.message);
}

// Columns in another order, a BOM, CRLF, a quoted field with a comma and a doubled quote, a
// person with three certifications on three lines, one without a category, open-ended valid_to.
const std::string good_csv =
    "\xEF\xBB\xBF"
    "name,id_number,valid_to,category,certificate,valid_from\r\n"
    "张三," + std::string(id_a) + ",,poor_laborer,\"FP-2019,\"\"A\"\"\",2019-01-01\r\n"
    "李四," + std::string(id_b) + ",2020-12-31,employment_difficult,JK-1,2020-01-01\r\n"
    "李四," + std::string(id_b) + ",,veteran,TY-7,2018-05-01\r\n"
    "\r\n"
    "李四," + std::string(id_b) + ",2019-12-31,employment_difficult,JK-0,2019-01-01\r\n"
    "王五," + std::string(id_c) + ",,,,\r\n";

const std::vector<RegisteredPerson> good_csv_persons = {
    {id_b, "李四",
     {{Category::employment_difficult, "JK-0", date("2019-01-01"), date("2019-12-31")},
      {Category::employment_difficult, "JK-1", date("2020-01-01"), date("2020-12-31")},
      {Category::veteran, "TY-7", date("2018-05-01"), std::nullopt}}},
    {id_a, "张三", {{Category::poor_laborer, "FP-2019,\"A\"", date("2019-01-01"), std::nullopt}}},
    {id_c, "王五", {}},
};

const std::string good_json_lines =
    "{\"id_number\": \"" + std::string(id_a) + "\", \"name\": \"张三\", \"certifications\": "
    "[{\"category\": \"poor_laborer\", \"certificate\": \"FP-1\", \"valid_from\": \"2019-01-01\", \"valid_to\": null}]}\r\n"
    "\n"
    "   \n"
    "{\"id_number\": \"" + std::string(id_b) + "\", \"name\": \"李四\", \"certifications\": []}\n"
    "{\"id_number\": \"" + std::string(id_a) + "\", \"name\": \"张三\", \"certifications\": "
    "[{\"category\": \"veteran\", \"certificate\": \"TY-1\", \"valid_from\": \"2018-01-01\", \"valid_to\": \"2018-12-31\"}]}\n"
    "{\"certifications\": [{\"valid_to\": \"2021-01-01\", \"valid_from\": \"2020-01-01\", "
    "\"certificate\": \"CJ-9\", \"category\": \"disabled\"}], \"name\": \"王五\", \"id_number\": \"" +
    std::string(id_c) + "\"}";  // the last line has no line break

const std::vector<RegisteredPerson> good_json_persons = {
    {id_b, "李四", {}},
    {id_a, "张三",
     {{Category::poor_laborer, "FP-1", date("2019-01-01"), std::nullopt},
      {Category::veteran, "TY-1", date("2018-01-01"), date("2018-12-31")}}},
    {id_c, "王五", {{Category::disabled, "CJ-9", date("2020-01-01"), date("2021-01-01")}}},
};

// The file read whole, checked to read the same fed one byte at a time and split at every byte.
RegistryImport check_any_pieces(RegistryFormat format, const std::string& text) {
  RegistryImport whole = read_whole(format, text);
  check_same(read_bytewise(format, text), whole);
  for (std::size_t at = 0; at <= text.size(); ++at) {
    INFO("split at byte ", at);
    check_same(read_split(format, text, at), whole);
  }
  return whole;
}

}  // namespace

TEST_CASE("registry import: a good CSV file") {
  RegistryImport import = read_whole(RegistryFormat::csv, good_csv);
  list_problems(import);
  CHECK(import.problems.empty());
  CHECK(import.rows == 5);  // the blank line is not a row
  CHECK_FALSE(import.too_many_rows);
  CHECK(import.persons == good_csv_persons);
}

TEST_CASE("registry import: a CSV file fed one byte at a time or split anywhere reads the same") {
  check_any_pieces(RegistryFormat::csv, good_csv);
  // A bad file too: the same problems at the same lines, whatever the pieces.
  std::string bad = std::string(header) + id_a + ",\"张\n三\",veteran,TY,2019-01-01,\n" + id_bad_check +
                    ",李四,vet,TY,2019-01-01,2018-01-01\n" + id_b + ",\xE6\x9D,veteran,TY,2019-01-01,";
  RegistryImport bad_whole = read_whole(RegistryFormat::csv, bad);
  CHECK(bad_whole.problems.size() == 5);
  check_same(read_bytewise(RegistryFormat::csv, bad), bad_whole);
}

TEST_CASE("registry import: a good JSON Lines file") {
  RegistryImport import = read_whole(RegistryFormat::json_lines, good_json_lines);
  list_problems(import);
  CHECK(import.problems.empty());
  CHECK(import.rows == 4);  // blank lines are not rows
  CHECK(import.persons == good_json_persons);
}

TEST_CASE("registry import: a JSON Lines file fed one byte at a time or split anywhere reads the same") {
  RegistryImport whole = check_any_pieces(RegistryFormat::json_lines, good_json_lines);
  // With a BOM, as some exporters write even JSON.
  check_same(read_bytewise(RegistryFormat::json_lines, "\xEF\xBB\xBF" + good_json_lines), whole);
}

TEST_CASE("registry import: certifications are sorted, open-ended last, and exact duplicates merged") {
  std::string rows = std::string(id_a) + ",张三,veteran,TY-B,2019-01-01,\n" +
                     id_a + ",张三,veteran,TY-A,2019-01-01,2019-06-30\n" +
                     id_a + ",张三,veteran,TY-B,2019-01-01,\n" +
                     id_a + ",张三,poor_laborer,FP-2,2019-01-01,\n" +
                     id_a + ",张三,poor_laborer,FP-1,2019-01-01,\n";
  RegistryImport import = read_whole(RegistryFormat::csv, std::string(header) + rows);
  list_problems(import);
  REQUIRE(import.persons.size() == 1);
  CHECK(import.rows == 5);
  CHECK(import.persons[0].certifications == std::vector<Certification>{
      {Category::poor_laborer, "FP-1", date("2019-01-01"), std::nullopt},
      {Category::poor_laborer, "FP-2", date("2019-01-01"), std::nullopt},
      {Category::veteran, "TY-A", date("2019-01-01"), date("2019-06-30")},
      {Category::veteran, "TY-B", date("2019-01-01"), std::nullopt}});
}

TEST_CASE("registry import: each bad CSV row is reported at its column") {
  auto row = [](std::string_view id, std::string_view name, std::string_view category,
                std::string_view certificate, std::string_view from, std::string_view to) {
    return std::string(id) + ',' + std::string(name) + ',' + std::string(category) + ',' +
           std::string(certificate) + ',' + std::string(from) + ',' + std::string(to) + '\n';
  };
  CHECK(csv_problems(row(id_bad_check, "张三", "veteran", "TY-1", "2019-01-01", "")) ==
        Problems{{"/rows/2/id_number", "check character is wrong"}});
  CHECK(csv_problems(row("41120219900101123", "张三", "veteran", "TY-1", "2019-01-01", "")) ==
        Problems{{"/rows/2/id_number", "must be 18 characters"}});

  Problems unknown = csv_problems(row(id_a, "张三", "vet", "TY-1", "2019-01-01", ""));
  REQUIRE(unknown.size() == 1);
  CHECK(unknown[0].pointer == "/rows/2/category");
  CHECK(unknown[0].message.starts_with("unknown category \"vet\" (allowed: poor_laborer, "));

  CHECK(csv_problems(row(id_a, "张三", "veteran", "TY-1", "2019-02-30", "")) ==
        Problems{{"/rows/2/valid_from", "is not a real calendar date"}});
  CHECK(csv_problems(row(id_a, "张三", "veteran", "TY-1", "2019-01-01", "2019/12/31")) ==
        Problems{{"/rows/2/valid_to", "must be a date in the form YYYY-MM-DD"}});
  CHECK(csv_problems(row(id_a, "张三", "veteran", "TY-1", "2019-01-01", "2018-12-31")) ==
        Problems{{"/rows/2/valid_to", "must not be before valid_from"}});
  CHECK(csv_problems(row(id_a, "张三", "veteran", "", "2019-01-01", "")) ==
        Problems{{"/rows/2/certificate", "must not be empty"}});
  CHECK(csv_problems(row(id_a, "", "veteran", "TY-1", "2019-01-01", "")) ==
        Problems{{"/rows/2/name", "must not be empty"}});
  CHECK(csv_problems(row(id_a, "张\t三", "veteran", "TY-1", "2019-01-01", "")) ==
        Problems{{"/rows/2/name", "must not contain control characters"}});
  // 64 characters (code points, not bytes) are allowed, 65 are not.
  CHECK(csv_problems(row(id_a, repeat("张", 64), "veteran", "TY-1", "2019-01-01", "")).empty());
  CHECK(csv_problems(row(id_a, repeat("张", 65), "veteran", "TY-1", "2019-01-01", "")) ==
        Problems{{"/rows/2/name", "must be at most 64 characters"}});
  // A person without a category has no certification to describe.
  CHECK(csv_problems(row(id_a, "张三", "", "TY-1", "", "2019-01-01")) ==
        Problems{{"/rows/2/certificate", "must be empty when category is empty"},
                 {"/rows/2/valid_to", "must be empty when category is empty"}});
}

TEST_CASE("registry import: the same id_number with two names is reported at the later row's name") {
  std::string rows = std::string(id_a) + ",张三,veteran,TY-1,2019-01-01,\n" +
                     id_b + ",李四,veteran,TY-2,2019-01-01,\n" +
                     id_a + ",张叁,poor_laborer,FP-1,2019-01-01,\n";
  CHECK(csv_problems(rows) == Problems{{"/rows/4/name", "differs from the name on line 2 (\"张三\")"}});
  // No normalisation: a full-width letter makes another name.
  std::string full_width = std::string(id_a) + ",Zhang San,veteran,TY-1,2019-01-01,\n" +
                           id_a + ",\xEF\xBC\xBAhang San,veteran,TY-1,2019-01-01,\n";
  CHECK(csv_problems(full_width) ==
        Problems{{"/rows/3/name", "differs from the name on line 2 (\"Zhang San\")"}});
}

TEST_CASE("registry import: a bad CSV header is reported at /rows/1 and its column") {
  RegistryImport missing = read_whole(RegistryFormat::csv,
                                      "id_number,name,category,certificate,valid_from\n" +
                                          std::string(id_a) + ",张三,veteran,TY-1,2019-01-01\n");
  CHECK(missing.problems == Problems{{"/rows/1/valid_to", "column is missing"}});
  CHECK(missing.rows == 1);
  CHECK(missing.persons.empty());

  RegistryImport odd = read_whole(
      RegistryFormat::csv, "id_number,name,name,category,certificate,valid_from,valid_to,notes\n");
  REQUIRE(odd.problems.size() == 3);
  CHECK(odd.problems[0] == Problem{"/rows/1/name", "column is given twice"});
  CHECK(odd.problems[1].pointer == "/rows/1/notes");
  CHECK(odd.problems[1].message.starts_with("unknown column \"notes\" (allowed: id_number, name, "));
  CHECK(odd.problems[2] == Problem{"", "the file has no rows"});
}

TEST_CASE("registry import: a CSV row with too few or too many fields is one problem at the row") {
  std::string rows = std::string(id_a) + ",张三,veteran,TY-1\n" +
                     id_a + ",张三,veteran,TY-1,2019-01-01,,extra\n" +
                     id_a + ",\"张三,veteran,TY-1,2019-01-01,\"\n";
  CHECK(csv_problems(rows) == Problems{{"/rows/2", "expected 6 fields, found 4"},
                                       {"/rows/3", "expected 6 fields, found 7"},
                                       {"/rows/4", "expected 6 fields, found 2"}});
}

TEST_CASE("registry import: a CSV record spanning lines is numbered by its first line") {
  std::string rows = std::string(id_a) + ",张三,veteran,\"TY-1\r\nTY-2\",2019-01-01,\n" +
                     id_bad_check + ",李四,veteran,TY-3,2019-01-01,\n";
  CHECK(csv_problems(rows) == Problems{{"/rows/2/certificate", "must not contain control characters"},
                                       {"/rows/4/id_number", "check character is wrong"}});
}

TEST_CASE("registry import: malformed CSV quoting and overlong rows") {
  CHECK(csv_problems(std::string(id_a) + ",张三,veteran,\"TY-1,2019-01-01,\n" + id_b + ",李四,,,,\n") ==
        Problems{{"/rows/2", "a quoted field is not closed"}});
  CHECK(csv_problems(std::string(id_a) + ",\"张\"三,veteran,TY-1,2019-01-01,\n") ==
        Problems{{"/rows/2",
                  "field 2: text after the closing quote (a quote inside a quoted field is written \"\")"}});
  // A quote inside an unquoted field is taken as is.
  RegistryImport quoted = read_whole(RegistryFormat::csv,
                                     std::string(header) + id_a + ",张三,veteran,TY\"1,2019-01-01,\n");
  list_problems(quoted);
  REQUIRE(quoted.persons.size() == 1);
  CHECK(quoted.persons[0].certifications.at(0).certificate == "TY\"1");
  // An overlong row is not kept; the rows after it are still read.
  std::string long_row = std::string(id_a) + ",张三,veteran," + repeat("x", registry_import_row_bytes_max) + ",2019-01-01,\n";
  CHECK(csv_problems(long_row + id_bad_check + ",李四,,,,\n") ==
        Problems{{"/rows/2", "the row is longer than 65536 bytes"},
                 {"/rows/3/id_number", "check character is wrong"}});
}

TEST_CASE("registry import: a row that is not valid UTF-8 is reported at the row") {
  // A truncated sequence, an overlong form, a lone continuation byte.
  std::string rows = std::string(id_a) + ",\xE5\xBC,veteran,TY-1,2019-01-01,\n" +
                     id_b + ",\xC0\xAF,veteran,TY-1,2019-01-01,\n" +
                     id_c + ",王五,veteran,\x80,2019-01-01,\n";
  CHECK(csv_problems(rows) == Problems{{"/rows/2", "not valid UTF-8"},
                                       {"/rows/3", "not valid UTF-8"},
                                       {"/rows/4", "not valid UTF-8"}});
  CHECK(json_problems("{\"id_number\": \"" + std::string(id_a) + "\", \"name\": \"\xE5\xBC\", \"certifications\": []}\n") ==
        Problems{{"/rows/1", "not valid UTF-8"}});
}

TEST_CASE("registry import: bad JSON lines are reported at the line and member") {
  std::string person = "{\"id_number\": \"" + std::string(id_a) + "\", \"name\": \"张三\", ";
  CHECK(json_problems("[1, 2]\n") == Problems{{"/rows/1", "must be an object"}});
  CHECK(json_problems("\n" + person + "\"certifications\": [], \"nickname\": \"三\"}\n") ==
        Problems{{"/rows/2/nickname", "unknown field"}});
  CHECK(json_problems(person + "\"name\": \"张叁\", \"certifications\": []}\n") ==
        Problems{{"/rows/1/name", "duplicate key \"name\""}});
  CHECK(json_problems(person + "\"certifications\": [{\"category\": \"veteran\", \"category\": \"veteran\"}]}\n") ==
        Problems{{"/rows/1/certifications/0/category", "duplicate key \"category\""}});
  CHECK(json_problems("{\"id_number\": \"" + std::string(id_bad_check) + "\", \"name\": \"张三\"}\n") ==
        Problems{{"/rows/1/id_number", "check character is wrong"},
                 {"/rows/1/certifications", "is required"}});
  CHECK(json_problems(person + "\"certifications\": {}}\n") ==
        Problems{{"/rows/1/certifications", "must be an array"}});
  CHECK(json_problems(person + "\"certifications\": [{\"category\": \"vet\", \"certificate\": \"\", "
                               "\"valid_from\": \"2020-01-01\", \"valid_to\": \"2019-12-31\", \"note\": 1}]}\n") ==
        Problems{{"/rows/1/certifications/0/category",
                  "unknown category \"vet\" (allowed: poor_laborer, employment_difficult, zero_employment_family, "
                  "decapacity_unemployed, veteran, rural_migrant, unemployed_registered, two_after_graduate, "
                  "disabled, college_graduate, enterprise_employee, other)"},
                 {"/rows/1/certifications/0/certificate", "must not be empty"},
                 {"/rows/1/certifications/0/valid_to", "must not be before valid_from"},
                 {"/rows/1/certifications/0/note", "unknown field"}});
  Problems syntax = json_problems(person + "\"certifications\": [}\n");
  REQUIRE(syntax.size() == 1);
  CHECK(syntax[0].pointer == "/rows/1");
  CHECK(syntax[0].message.find(" at byte ") != std::string::npos);
  // Two lines naming one person with two names.
  CHECK(json_problems(person + "\"certifications\": []}\n{\"id_number\": \"" + std::string(id_a) +
                      "\", \"name\": \"张叁\", \"certifications\": []}\n") ==
        Problems{{"/rows/2/name", "differs from the name on line 1 (\"张三\")"}});
}

TEST_CASE("registry import: every bad row is reported and then no person is returned") {
  std::string rows = std::string(id_a) + ",张三,veteran,TY-1,2019-01-01,\n" +
                     id_bad_check + ",李四,veteran,TY-1,2019-01-01,\n" +
                     id_b + ",李四,veteran,TY-1,2019-01-01,\n" +
                     id_c + ",王五,soldier,TY-1,2019-01-01,\n" +
                     id_c + ",王五,veteran,TY-1,2019-13-01,\n";
  RegistryImport import = read_whole(RegistryFormat::csv, std::string(header) + rows);
  CHECK(import.rows == 5);
  CHECK(import.persons.empty());
  REQUIRE(import.problems.size() == 3);
  CHECK(import.problems[0].pointer == "/rows/3/id_number");
  CHECK(import.problems[1].pointer == "/rows/5/category");
  CHECK(import.problems[2] == Problem{"/rows/6/valid_from", "is not a real calendar date"});
}

TEST_CASE("registry import: an empty file is a problem") {
  CHECK(read_whole(RegistryFormat::csv, "").problems == Problems{{"", "the file has no header line"}});
  CHECK(read_whole(RegistryFormat::csv, "\xEF\xBB\xBF\r\n\n").problems ==
        Problems{{"", "the file has no header line"}});
  CHECK(read_whole(RegistryFormat::csv, header).problems == Problems{{"", "the file has no rows"}});
  RegistryImport json_empty = read_whole(RegistryFormat::json_lines, "\n  \r\n");
  CHECK(json_empty.problems == Problems{{"", "the file has no rows"}});
  CHECK(json_empty.rows == 0);
  CHECK(read_whole(RegistryFormat::json_lines, "").problems == Problems{{"", "the file has no rows"}});
}

TEST_CASE("registry import: more rows than the limit stops the reading") {
  std::string rows = std::string(id_a) + ",张三,veteran,TY-1,2019-01-01,\n" +
                     id_b + ",李四,veteran,TY-1,2019-01-01,\n" +
                     id_c + ",王五,veteran,TY-1,2019-01-01,\n";
  RegistryImport at_limit = read_whole(RegistryFormat::csv, std::string(header) + rows, 3);
  CHECK(at_limit.problems.empty());
  CHECK_FALSE(at_limit.too_many_rows);
  CHECK(at_limit.persons.size() == 3);

  // The row past the limit is bad too, but reading has stopped before it.
  RegistryImport over = read_whole(RegistryFormat::csv, std::string(header) + rows + id_bad_check + ",x,,,,\n", 3);
  CHECK(over.too_many_rows);
  CHECK(over.rows == 3);
  CHECK(over.persons.empty());
  CHECK(over.problems == Problems{{"", "the file has more than 3 rows"}});

  RegistryImport json_over = read_whole(RegistryFormat::json_lines, "[]\n[]\n\n[]\n", 2);
  CHECK(json_over.too_many_rows);
  CHECK(json_over.rows == 2);
  CHECK(json_over.problems == Problems{{"/rows/1", "must be an object"},
                                       {"/rows/2", "must be an object"},
                                       {"", "the file has more than 2 rows"}});
}

TEST_CASE("registry import: the reader tells when the rows went past the limit, before the end") {
  RegistryImportReader reader(RegistryFormat::csv, 2);
  reader.feed(std::string(header) + id_a + ",张三,,,,\n" + id_b + ",李四,,,,\n");
  CHECK_FALSE(reader.too_many_rows());
  reader.feed(std::string(id_c) + ",王五,");  // the third row has begun, not ended
  CHECK_FALSE(reader.too_many_rows());
  reader.feed(",,,\n");
  CHECK(reader.too_many_rows());
  CHECK(reader.finish().too_many_rows);
}

TEST_CASE("registry import: at most registry_import_problems_max problems are listed") {
  constexpr std::size_t bad_rows = registry_import_problems_max + 3;
  RegistryImportReader reader(RegistryFormat::csv);
  reader.feed(header);
  const std::string bad_row = std::string(id_bad_check) + ",张三,veteran,TY-1,2019-01-01,\n";
  for (std::size_t i = 0; i < bad_rows; ++i) reader.feed(bad_row);
  RegistryImport import = reader.finish();
  CHECK(import.rows == bad_rows);
  REQUIRE(import.problems.size() == registry_import_problems_max + 1);
  CHECK(import.problems[registry_import_problems_max - 1] ==
        Problem{"/rows/10001/id_number", "check character is wrong"});
  CHECK(import.problems.back() == Problem{"", "and 3 more bad rows not listed"});
}

TEST_CASE("registry: certified_on looks at the category and the days it holds") {
  RegisteredPerson person{id_a, "张三",
                          {{Category::veteran, "TY-1", date("2019-01-01"), date("2019-12-31")},
                           {Category::poor_laborer, "FP-1", date("2020-03-01"), std::nullopt}}};
  CHECK(certified_on(person, Category::veteran, date("2019-01-01")));
  CHECK(certified_on(person, Category::veteran, date("2019-12-31")));
  CHECK_FALSE(certified_on(person, Category::veteran, date("2020-01-01")));
  CHECK_FALSE(certified_on(person, Category::veteran, date("2018-12-31")));
  CHECK(certified_on(person, Category::poor_laborer, date("2999-12-31")));
  CHECK_FALSE(certified_on(person, Category::poor_laborer, date("2020-02-29")));
  CHECK_FALSE(certified_on(person, Category::disabled, date("2020-06-01")));
}
