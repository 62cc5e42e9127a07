// GET /v1/reports/funds and /v1/reports/targets over decisions made by the real engine and
// appended by the real store (DecisionRecorder, with a clock the test sets, so that the China
// Standard Time boundary can be placed to the second), and once through the real pipeline over
// HTTP. Every figure is checked exactly: the claims are those of examples/claims.jsonl.

#include "app/decision_pipeline.h"
#include "engine/money.h"
#include "engine/vocabulary.h"
#include "support/csv.h"
#include "api/fund_report.h"
#include "api_fixture.h"
#include "engine/catalogue_parser.h"
#include "engine/claim.h"
#include "engine/ledger.h"
#include "engine/memory_catalogue.h"
#include "store/decision_recorder.h"
#include "support/wft_claim.h"
#include "app/files.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

class SettableClock final : public store::Clock {
 public:
  std::chrono::sys_seconds now() const override { return t; }
  std::chrono::sys_seconds t{};
};

std::chrono::sys_seconds at(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  using namespace std::chrono;
  return sys_seconds(sys_days(year(y) / month(m) / day(d))) + hours(hh) + minutes(mm) + seconds(ss);
}

// Line n (1-based) of examples/claims.jsonl.
json::value example(int n) {
  std::ifstream in(fs::path(SUBSIDY_SOURCE_DIR) / "examples/claims.jsonl");
  std::string line;
  for (int i = 0; i < n; ++i) REQUIRE(std::getline(in, line));
  return json::parse(line);
}

// 张三's work-for-training claim (tests/support/wft_claim.h) with other categories, or of another person.
json::value wft(const std::string& claim_id, const std::vector<std::string>& months, json::array categories,
                const std::string& id_number = "411202199001011230", const std::string& name = "张三") {
  json::value c = subsidy::testing::wft_claim(claim_id, months);
  c.at("person").at("categories") = std::move(categories);
  c.at("person").at("id_number") = id_number;
  c.at("person").at("name") = name;
  return c;
}

// A pre-job training of 王九 (a new hire, employment_difficult: a category the ruleset maps to
// no pre-job task), approved at the project's standard of 800 yuan.
json::value unmapped_prejob() {
  json::value c = example(4);
  c.at("claim_id") = "HB-PREJOB-UNMAPPED";
  c.at("person") = json::object{{"id_number", "11010519491231002X"}, {"name", "王九"},
                                {"categories", json::array{"employment_difficult"}}};
  c.at("employment").at("start") = "2020-05-20";
  c.at("training") = json::object{{"start", "2020-06-01"}, {"end", "2020-06-15"}};
  return c;
}

// A server whose log the test writes with the real engine at chosen times; reports are read
// over HTTP with the fixed tokens of api_fixture.h.
class ReportServer {
 public:
  explicit ReportServer(std::unique_ptr<store::test::TestDb> db = store::test::make_sqlite_db()) : db_(std::move(db)) {
    store_ = db_->open();
    auto loaded = app::load_rulesets({fs::path(SUBSIDY_SOURCE_DIR) / "rules"});
    REQUIRE(std::holds_alternative<RulesetSet>(loaded));
    rulesets_ = std::make_unique<RulesetSet>(std::get<RulesetSet>(std::move(loaded)));
    std::string error;
    auto doc = app::read_json_file(fs::path(SUBSIDY_SOURCE_DIR) / "examples/catalogue.json", error);
    REQUIRE_MESSAGE(doc, error);
    auto parsed = parse_catalogue_file(*doc);
    REQUIRE(std::holds_alternative<MemoryCatalogue>(parsed));
    catalogue_ = std::make_unique<MemoryCatalogue>(std::get<MemoryCatalogue>(std::move(parsed)));
    ledger_ = std::make_unique<Ledger>(*rulesets_, *catalogue_);
    recorder_ = std::make_unique<store::DecisionRecorder>(*store_, *ledger_, *rulesets_, clock_);
    readers_ = std::make_unique<ReadConnections>(db_->url());
    services_.pipeline = &pipeline_;
    services_.authenticator = &authenticator_;
    services_.readers = readers_.get();
    services_.rulesets = rulesets_.get();
    services_.metrics = &metrics_;
    server_ = std::make_unique<Server>(test_settings(), services_);
    REQUIRE_MESSAGE(server_->start(error), error);
  }
  ~ReportServer() {
    server_->stop();
    pipeline_.stop();
  }

  // The decision of claim (its record's seq), decided at t.
  std::uint64_t decide(const json::value& claim, std::chrono::sys_seconds t) {
    clock_.t = t;
    auto seq = recorder_->record_claim(claim);
    REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    return seq.value();
  }
  std::uint64_t settle(const std::string& claim_id, const json::value& request, std::chrono::sys_seconds t) {
    clock_.t = t;
    auto seq = recorder_->record_follow_up(FollowUpKind::settlement, claim_id, request);
    REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    return seq.value();
  }
  Reply get(const std::string& target, const std::string& accept = "") {
    Client client(server_->port());
    std::vector<std::pair<std::string, std::string>> extra;
    if (!accept.empty()) extra.emplace_back("Accept", accept);
    return client.send(http::verb::get, target, clerk_token, "", "", extra);
  }
  json::value report(const std::string& target) {
    Reply r = get(target);
    REQUIRE_MESSAGE(r.status == 200, r.body);
    CHECK(r.header(http::field::content_type) == "application/json");
    return r.json();
  }

 private:
  std::unique_ptr<store::test::TestDb> db_;
  std::unique_ptr<store::LogStore> store_;
  std::unique_ptr<RulesetSet> rulesets_;
  std::unique_ptr<MemoryCatalogue> catalogue_;
  std::unique_ptr<Ledger> ledger_;
  SettableClock clock_;
  std::unique_ptr<store::DecisionRecorder> recorder_;
  std::unique_ptr<ReadConnections> readers_;
  FakePipeline pipeline_;
  FixedAuthenticator authenticator_;
  Metrics metrics_;
  Services services_;
  std::unique_ptr<Server> server_;
};

// The figures of one program in a funds report: {count, amount_fen} per measure.
const json::object& program_of(const json::value& report, std::string_view program) {
  for (const json::value& p : report.at("programs").as_array()) {
    if (p.at("program").as_string() == program) return p.as_object();
  }
  FAIL("no program " << program);
  throw std::logic_error("unreachable");
}

json::value tally(std::int64_t count, std::int64_t fen) { return json::object{{"count", count}, {"amount_fen", fen}}; }

json::value zero_program(std::string_view program) {
  return json::object{{"program", program},        {"approved", tally(0, 0)}, {"advanced", tally(0, 0)},
                      {"paid", tally(0, 0)},       {"settled", tally(0, 0)},  {"recovered", tally(0, 0)},
                      {"rejected", tally(0, 0)}};
}

// The examples' decisions in March 2020 (CST): 张三's four months (approved), three more months
// at another entity (two approved, the seventh over the cap of six rejected), the care class
// (three trainees eligible, 孙七 outside the target group; 50% advance) and its settlement (two
// of three passed: remainder).
void record_march(ReportServer& s) {
  s.decide(example(1), at(2020, 3, 2, 1, 0, 0));
  s.decide(example(2), at(2020, 3, 5, 1, 0, 0));
  s.decide(example(5), at(2020, 3, 10, 1, 0, 0));
  s.settle("HB-2020-000005", example(6).at("request"), at(2020, 3, 20, 1, 0, 0));
}

void check_march(const json::value& report) {
  CHECK(program_of(report, "work_for_training") == json::object{{"program", "work_for_training"},
                                                                {"approved", tally(6, 120000)},
                                                                {"advanced", tally(0, 0)},
                                                                {"paid", tally(2, 120000)},
                                                                {"settled", tally(0, 0)},
                                                                {"recovered", tally(0, 0)},
                                                                {"rejected", tally(1, 20000)}});
  // 3 × 150001 approved, 225001 advanced (rounded down), settled 2 × 150001 − 225001 = 75001.
  CHECK(program_of(report, "project_training") == json::object{{"program", "project_training"},
                                                               {"approved", tally(3, 450003)},
                                                               {"advanced", tally(1, 225001)},
                                                               {"paid", tally(0, 0)},
                                                               {"settled", tally(1, 75001)},
                                                               {"recovered", tally(0, 0)},
                                                               {"rejected", tally(1, 150001)}});
  CHECK(program_of(report, "pre_job_training") == zero_program("pre_job_training"));
}

// The task entry numbered n of a targets report.
const json::object& task_of(const json::value& report, int n) {
  const json::value& t = report.at("tasks").at(static_cast<std::size_t>(n - 1));
  REQUIRE(t.at("number") == n);
  return t.as_object();
}

std::int64_t achieved(const json::value& report, int n) { return task_of(report, n).at("achieved").as_int64(); }

// Every task's achieved count, task 1 first.
std::vector<std::int64_t> all_achieved(const json::value& report) {
  std::vector<std::int64_t> out;
  for (const json::value& t : report.at("tasks").as_array()) out.push_back(t.at("achieved").as_int64());
  return out;
}

}  // namespace

TEST_CASE("funds report: a month's approvals, payments, rejections, advance and settlement per program") {
  ReportServer s;
  record_march(s);
  json::value march = s.report("/v1/reports/funds?period=2020-03");
  CHECK(march.at("period") == "2020-03");
  CHECK(march.at("from") == "2020-02-29T16:00:00Z");  // 2020 is a leap year
  CHECK(march.at("to") == "2020-03-31T16:00:00Z");
  CHECK(march.at("timezone") == "+08:00");
  REQUIRE(march.at("programs").as_array().size() == 3);
  check_march(march);
  // The quarter holds the same; another month holds nothing but lists every program.
  check_march(s.report("/v1/reports/funds?period=2020-Q1"));
  json::value april = s.report("/v1/reports/funds?period=2020-04");
  for (std::string_view p : program_names) CHECK(program_of(april, p) == zero_program(p));
}

TEST_CASE("funds report: a decision counts in the month of its decided_at in China Standard Time") {
  ReportServer s;
  // 2020-03-31T15:59:59Z is 23:59:59 on 31 March in Beijing; one second later it is 1 April.
  // The first second of 2020 in Beijing belongs to January and Q1.
  s.decide(wft("HB-CST-3", {"2020-04"}, {"poor_laborer"}), at(2019, 12, 31, 16, 0, 0));
  s.decide(wft("HB-CST-1", {"2020-01"}, {"poor_laborer"}), at(2020, 3, 31, 15, 59, 59));
  s.decide(wft("HB-CST-2", {"2020-02", "2020-03"}, {"poor_laborer"}), at(2020, 3, 31, 16, 0, 0));
  auto approved = [&](const std::string& period) {
    return program_of(s.report("/v1/reports/funds?period=" + period), "work_for_training").at("approved");
  };
  CHECK(approved("2020-03") == tally(1, 20000));
  CHECK(approved("2020-04") == tally(2, 40000));
  CHECK(approved("2020-Q1") == tally(2, 40000));
  CHECK(approved("2020-Q2") == tally(2, 40000));
  CHECK(approved("2020-01") == tally(1, 20000));
  CHECK(approved("2019-12") == tally(0, 0));
  CHECK(approved("2019-Q4") == tally(0, 0));
  json::value q4 = s.report("/v1/reports/funds?period=2020-Q4");
  CHECK(q4.at("from") == "2020-09-30T16:00:00Z");
  CHECK(q4.at("to") == "2020-12-31T16:00:00Z");
}

TEST_CASE("funds report: a settlement below the advance is a recovery") {
  ReportServer s;
  s.decide(example(5), at(2020, 6, 1, 2, 0, 0));
  // Only 王五 of the three eligible trainees passed: 150001 due, 225001 advanced, 75000 back.
  json::value request = example(6).at("request");
  request.at("results").at(2).at("passed") = false;
  s.settle("HB-2020-000005", request, at(2020, 7, 1, 2, 0, 0));
  json::value june = s.report("/v1/reports/funds?period=2020-06");
  CHECK(program_of(june, "project_training").at("advanced") == tally(1, 225001));
  CHECK(program_of(june, "project_training").at("settled") == tally(0, 0));
  json::value july = s.report("/v1/reports/funds?period=2020-07");
  CHECK(program_of(july, "project_training").at("recovered") == tally(1, 75000));
  CHECK(program_of(july, "project_training").at("settled") == tally(1, 0));
  CHECK(program_of(july, "project_training").at("approved") == tally(0, 0));  // settlement lines are not approvals
  CHECK(program_of(july, "project_training").at("rejected") == tally(0, 0));
}

TEST_CASE("funds report: Accept text/csv gives one row per program under a header") {
  ReportServer s;
  record_march(s);
  Reply r = s.get("/v1/reports/funds?period=2020-03", "text/csv");
  REQUIRE(r.status == 200);
  CHECK(r.header(http::field::content_type) == "text/csv; charset=utf-8");
  CHECK(r.body ==
        "\xEF\xBB\xBF"
        "period,program,program_name,approved_count,approved_fen,approved_yuan,advanced_count,advanced_fen,advanced_yuan,"
        "paid_count,paid_fen,paid_yuan,settled_count,settled_fen,settled_yuan,recovered_count,recovered_fen,recovered_yuan,"
        "rejected_count,rejected_fen,rejected_yuan\r\n"
        "2020-03,work_for_training,以工代训补贴,6,120000,1200.00,0,0,0.00,2,120000,1200.00,0,0,0.00,0,0,0.00,1,20000,200.00\r\n"
        "2020-03,pre_job_training,新录用人员岗前技能培训补贴,0,0,0.00,0,0,0.00,0,0,0.00,0,0,0.00,0,0,0.00,0,0,0.00\r\n"
        "2020-03,project_training,项目制培训补贴,3,450003,4500.03,1,225001,2250.01,0,0,0.00,1,75001,750.01,0,0,0.00,1,150001,"
        "1500.01\r\n");
  // JSON when JSON is preferred or anything is accepted.
  CHECK(s.get("/v1/reports/funds?period=2020-03", "application/json, text/csv").header(http::field::content_type) ==
        "application/json");
  CHECK(s.get("/v1/reports/funds?period=2020-03", "*/*").header(http::field::content_type) == "application/json");
  CHECK(s.get("/v1/reports/funds?period=2020-03", "text/csv;q=0.9, */*").header(http::field::content_type) ==
        "text/csv; charset=utf-8");
}

TEST_CASE("funds report CSV: a CSV parser reads the Chinese headings and names and every amount back exactly") {
  ReportServer s;
  record_march(s);
  json::value report = s.report("/v1/reports/funds?period=2020-03");
  Reply zh = s.get("/v1/reports/funds?period=2020-03&lang=zh", "text/csv");
  REQUIRE(zh.status == 200);
  subsidy::testing::CsvTable table = subsidy::testing::parse_csv(zh.body);
  CHECK(table.bom);
  REQUIRE(table.rows.size() == 4);
  const std::vector<std::string>& head = table.rows[0];
  REQUIRE(head.size() == 21);
  CHECK(head[0] == "期间");
  CHECK(head[2] == "补贴项目");
  CHECK(head[3] == "核准笔数");
  CHECK(head[4] == "核准金额（分）");
  CHECK(head[5] == "核准金额（元）");
  CHECK(head[20] == "不予补贴金额（元）");
  const char* tallies[] = {"approved", "advanced", "paid", "settled", "recovered", "rejected"};
  for (std::size_t p = 0; p < 3; ++p) {
    const std::vector<std::string>& row = table.rows[p + 1];
    REQUIRE(row.size() == head.size());
    CAPTURE(row[1]);
    CHECK(row[0] == "2020-03");
    CHECK(row[2] == std::string(subsidy::program_names_zh[p]));
    const json::value& funds = report.at("programs").at(p);
    CHECK(row[1] == funds.at("program").as_string());
    for (std::size_t t = 0; t < 6; ++t) {
      CAPTURE(tallies[t]);
      const json::value& tally = funds.at(tallies[t]);
      std::int64_t fen = tally.at("amount_fen").to_number<std::int64_t>();
      CHECK(row[3 + 3 * t] == std::to_string(tally.at("count").to_number<std::int64_t>()));
      CHECK(row[4 + 3 * t] == std::to_string(fen));
      CHECK(row[5 + 3 * t] == subsidy::format_yuan(subsidy::Fen(fen)));
    }
  }
  // The keys' header is the default, and lang=en names it; another language is a 400.
  CHECK(subsidy::testing::parse_csv(s.get("/v1/reports/funds?period=2020-03&lang=en", "text/csv").body).rows[0][0] == "period");
  CHECK(s.get("/v1/reports/funds?period=2020-03&lang=fr", "text/csv").status == 400);
}

TEST_CASE("reports: a malformed or missing period or year is 400") {
  ReportServer s;
  for (const char* target :
       {"/v1/reports/funds", "/v1/reports/funds?period=", "/v1/reports/funds?period=2020-13",
        "/v1/reports/funds?period=2020-00", "/v1/reports/funds?period=2020-Q5", "/v1/reports/funds?period=2020-Q0",
        "/v1/reports/funds?period=2020-3", "/v1/reports/funds?period=2020-q1", "/v1/reports/funds?period=1999-12",
        "/v1/reports/funds?period=2101-01", "/v1/reports/funds?period=2020-03-01", "/v1/reports/funds?period=+020-03",
        "/v1/reports/funds?year=2020", "/v1/reports/targets", "/v1/reports/targets?year=",
        "/v1/reports/targets?year=20x0",
        "/v1/reports/targets?year=1999", "/v1/reports/targets?year=2101", "/v1/reports/targets?year=-2020",
        "/v1/reports/targets?year=2020.0", "/v1/reports/targets?period=2020-03"}) {
    CAPTURE(target);
    Reply r = s.get(target);
    check_problem(r, 400);
    CHECK(r.json().at("type") == "urn:subsidy:problem:bad-parameter");
  }
  CHECK(s.get("/v1/reports/funds?period=2100-Q4").status == 200);
  CHECK(s.get("/v1/reports/targets?year=2000").status == 200);
}

TEST_CASE("targets report: each approved training counts once toward the tasks of its categories") {
  ReportServer s;
  json::value empty = s.report("/v1/reports/targets?year=2020");
  REQUIRE(empty.at("tasks").as_array().size() == 22);
  CHECK(all_achieved(empty) == std::vector<std::int64_t>(22, 0));
  CHECK(empty.at("unmapped") == 0);
  // 张三 (poor_laborer → task 5 for work_for_training): four months are one 人次.
  s.decide(example(1), at(2020, 3, 2, 1, 0, 0));
  json::value one = s.report("/v1/reports/targets?year=2020");
  std::vector<std::int64_t> expected(22, 0);
  expected[5 - 1] = 1;
  CHECK(all_achieved(one) == expected);
  CHECK(one.at("trainings") == 1);
  CHECK(one.at("unmapped") == 0);
  // The care class: 王五 rural_migrant → 2, 赵六 veteran → 12, 周八 poor_laborer → 5; 孙七's line
  // is rejected (college_graduate is outside the class's target group) and counts nowhere.
  s.decide(example(5), at(2020, 4, 30, 1, 0, 0));
  s.settle("HB-2020-000005", example(6).at("request"), at(2020, 6, 30, 1, 0, 0));  // settlement lines add nothing
  json::value two = s.report("/v1/reports/targets?year=2020");
  expected[2 - 1] = 1;
  expected[5 - 1] = 2;
  expected[12 - 1] = 1;
  CHECK(all_achieved(two) == expected);
  CHECK(two.at("trainings") == 4);
  CHECK(two.at("unmapped") == 0);
  // Several categories: toward each distinct task once (employment_difficult and
  // zero_employment_family are both task 3). A category mapped to no task: unmapped.
  s.decide(wft("HB-MULTI", {"2020-05"}, {"poor_laborer", "employment_difficult", "zero_employment_family"},
               "411202199505055579", "孙七"),
           at(2020, 7, 2, 1, 0, 0));
  s.decide(unmapped_prejob(), at(2020, 7, 3, 1, 0, 0));
  json::value three = s.report("/v1/reports/targets?year=2020");
  expected[3 - 1] = 1;
  expected[5 - 1] = 3;
  CHECK(all_achieved(three) == expected);
  CHECK(three.at("trainings") == 6);
  CHECK(three.at("unmapped") == 1);
  // Task 5: 1500 over three years, 500 a year; 3 of 500 is 6 per mille (an integer).
  CHECK(task_of(three, 5) == json::object{{"number", 5},
                                          {"title_zh", "建档立卡贫困劳动力职业技能培训1500人次"},
                                          {"unit", "人次"},
                                          {"yearly_target_persons", 500},
                                          {"achieved", 3},
                                          {"progress_per_mille", 6}});
  CHECK(three.at("year") == 2020);
  CHECK(three.at("in_plan") == true);
  CHECK(three.at("from") == "2020-01-01");
  CHECK(three.at("to") == "2020-12-31");
}

TEST_CASE("targets report: a rejected line counts nothing and a training counts in the year of its month") {
  ReportServer s;
  // 张三: 2020-01..04 approved; then 2020-12 approved, 2021-01 over the cap of six months...
  s.decide(example(1), at(2020, 5, 1, 1, 0, 0));
  s.decide(wft("HB-YEARS", {"2020-11", "2020-12", "2021-01"}, {"poor_laborer"}), at(2021, 2, 1, 1, 0, 0));
  // ...and a person whose only month is rejected (the cap is already spent) counts nowhere.
  s.decide(wft("HB-OVER", {"2021-02"}, {"employment_difficult"}), at(2021, 3, 1, 1, 0, 0));
  json::value y2020 = s.report("/v1/reports/targets?year=2020");
  CHECK(achieved(y2020, 5) == 2);  // two claims, each one 人次, both governed in 2020
  CHECK(achieved(y2020, 3) == 0);
  CHECK(y2020.at("trainings") == 2);
  json::value y2021 = s.report("/v1/reports/targets?year=2021");
  CHECK(all_achieved(y2021) == std::vector<std::int64_t>(22, 0));  // 2021-01 and 2021-02 were rejected
  CHECK(y2021.at("trainings") == 0);
  CHECK(y2021.at("unmapped") == 0);
  // A year the plan does not cover: no targets, no ratio.
  json::value y2022 = s.report("/v1/reports/targets?year=2022");
  CHECK(y2022.at("in_plan") == false);
  CHECK(task_of(y2022, 1).at("yearly_target_persons") == 0);
  CHECK(task_of(y2022, 1).at("progress_per_mille").is_null());
  // 2019 counts from 2019-09-07, the plan's first day.
  json::value y2019 = s.report("/v1/reports/targets?year=2019");
  CHECK(y2019.at("from") == "2019-09-07");
  CHECK(task_of(y2019, 1).at("yearly_target_persons") == 1500);
}

// The CST month "YYYY-MM" of an RFC 3339 UTC time "YYYY-MM-DDTHH:MM:SSZ".
std::string cst_month(const std::string& utc) {
  using namespace std::chrono;
  int y = std::stoi(utc.substr(0, 4));
  auto m = static_cast<unsigned>(std::stoi(utc.substr(5, 2)));
  auto d = static_cast<unsigned>(std::stoi(utc.substr(8, 2)));
  sys_days day = sys_days(year(y) / month(m) / d) + days(std::stoi(utc.substr(11, 2)) + 8 >= 24 ? 1 : 0);
  year_month_day ymd(day);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()));
  return out;
}

TEST_CASE("reports through the real pipeline: claims posted over HTTP are counted") {
  const fs::path dir = fs::temp_directory_path() / ("subsidy-reports-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto db = store::test::make_sqlite_db();
  app::PipelineSettings ps;
  ps.database_url = db->url();
  ps.rules = {std::string(SUBSIDY_SOURCE_DIR) + "/rules"};
  ps.key_file = (dir / "signing.key").string();
  ps.seed_catalogue_file = std::string(SUBSIDY_SOURCE_DIR) + "/examples/catalogue.json";
  std::string error;
  auto pipeline = DecisionPipeline::start(ps, error);
  REQUIRE_MESSAGE(pipeline, error);
  auto loaded = app::load_rulesets({ps.rules.begin(), ps.rules.end()});
  REQUIRE(std::holds_alternative<RulesetSet>(loaded));
  RulesetSet rulesets = std::get<RulesetSet>(std::move(loaded));
  ReadConnections readers(db->url());
  FixedAuthenticator authenticator;
  Metrics metrics;
  Services services;
  services.pipeline = pipeline.get();
  services.authenticator = &authenticator;
  services.readers = &readers;
  services.rulesets = &rulesets;
  services.metrics = &metrics;
  Server server(test_settings(), services);
  REQUIRE_MESSAGE(server.start(error), error);
  std::vector<std::string> months;
  for (int n : {1, 5}) {
    Reply r = request(server.port(), http::verb::post, "/v1/claims", clerk_token, json::serialize(example(n)));
    REQUIRE_MESSAGE(r.status == 201, r.body);
    months.push_back(cst_month(std::string(r.json().at("decided_at").as_string())));
  }
  Reply settled = request(server.port(), http::verb::post, "/v1/claims/HB-2020-000005/settlement", clerk_token,
                          json::serialize(example(6).at("request")));
  REQUIRE_MESSAGE(settled.status == 201, settled.body);
  months.push_back(cst_month(std::string(settled.json().at("decided_at").as_string())));
  if (months[0] == months[2]) {  // not decided across a month's end (CST)
    Reply r = request(server.port(), http::verb::get, "/v1/reports/funds?period=" + months[0], auditor_token);
    REQUIRE(r.status == 200);
    json::value report = r.json();
    CHECK(program_of(report, "work_for_training").at("approved") == tally(4, 80000));
    CHECK(program_of(report, "work_for_training").at("paid") == tally(1, 80000));
    CHECK(program_of(report, "project_training").at("advanced") == tally(1, 225001));
    CHECK(program_of(report, "project_training").at("settled") == tally(1, 75001));
  }
  Reply targets = request(server.port(), http::verb::get, "/v1/reports/targets?year=2020", auditor_token);
  REQUIRE(targets.status == 200);
  CHECK(achieved(targets.json(), 5) == 2);  // 张三 and 周八
  CHECK(achieved(targets.json(), 2) == 1);
  CHECK(achieved(targets.json(), 12) == 1);
  server.stop();
  pipeline->stop();
  std::error_code ec;
  fs::remove_all(dir, ec);
}

TEST_CASE("reports over PostgreSQL: the same figures") {
  if (store::test::postgres_url().empty()) {
    std::printf("api tests: postgresql backend NOT RUN: SUBSIDY_TEST_POSTGRES_URL is not set\n");
    return;
  }
  ReportServer s(store::test::make_postgres_db());
  record_march(s);
  check_march(s.report("/v1/reports/funds?period=2020-03"));
  json::value targets = s.report("/v1/reports/targets?year=2020");
  CHECK(achieved(targets, 5) == 3);  // 张三's two claims (one 人次 each) and 周八
  CHECK(achieved(targets, 2) == 1);
  CHECK(achieved(targets, 12) == 1);
  CHECK(targets.at("trainings") == 5);
}

}  // namespace subsidy::api::test
