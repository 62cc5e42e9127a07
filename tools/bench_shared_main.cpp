// subsidy-bench-shared: quality.md P5, two servers on one PostgreSQL log.
//
// Two subsidyd processes (--shared-log true) on a fresh schema of the PostgreSQL database given,
// each driven by half the connections with the claim mix of subsidy-bench-http. The n-th claim
// sent to each server (claim_ids BS-A-n and BS-B-n) is for the same person and months, so every
// person's claims conflict across the two servers. Afterwards, with both stopped: decisions/s together, every 201 answer's
// seq in the log exactly once, no person with more than six approved months, no month approved
// twice, and a replay of the whole log (the auditor's check) that must be clean.
//
// Exit status 1 when an answer was not 2xx, a request failed, an invariant does not hold or the
// replay has findings; the throughput target is reported, not enforced.
#include "app/replay.h"
#include "bench/claim_mix.h"
#include "bench/daemon.h"
#include "bench/load_client.h"
#include "store/connection.h"
#include "store/heads.h"
#include "store/log_store.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <soci/soci.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace subsidy;

namespace {

struct Settings {
  fs::path root = ".";
  std::string database;  // a PostgreSQL URL
  std::string schema = "bench_shared";
  std::size_t connections = 200;
  unsigned threads = 1;  // each server's --threads
  unsigned servers = 2;  // 1: the same load on one server alone, not sharing: the baseline
  bool kill_one = false;  // SIGKILL server A half-way: B must go on deciding, the log stay whole
  double seconds = 10;
  double warm_up = 2;
};

std::optional<Settings> parse_settings(int argc, char** argv) {
  Settings s;
  po::options_description d("Options");
  d.add_options()("help,h", "show this help")("root", po::value(&s.root)->default_value(s.root),
                                                "the repository: rules/, examples/catalogue.json, schemas/")(
      "database", po::value(&s.database), "a PostgreSQL URL (e.g. the one tools/pg-test-server.sh prints)")(
      "schema", po::value(&s.schema)->default_value(s.schema), "the schema made afresh for the run (dropped first)")(
      "connections", po::value(&s.connections)->default_value(s.connections), "keep-alive connections, split over the two servers")(
      "threads", po::value(&s.threads)->default_value(s.threads), "each server's --threads")(
      "servers", po::value(&s.servers)->default_value(s.servers),
      "2, or 1 for the baseline: both halves of the load on one server that does not share its log")(
      "seconds", po::value(&s.seconds)->default_value(s.seconds), "measured seconds")(
      "warm-up", po::value(&s.warm_up)->default_value(s.warm_up), "seconds of warm-up (answers checked, not timed)")(
      "kill-one", "kill -9 server A half-way through (its clients then fail); B must go on, and every check "
                  "still hold")(
      "smoke", "CI: 8 connections, 0.2 s warm-up and 1 s; still checks every invariant");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, d), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: subsidy-bench-shared --database postgresql://... [options]\n\n"
                 "quality.md P5: two subsidyd on one PostgreSQL log, conflicting claims for the same people\n"
                 "sent to both; decisions/s together, and the invariants checked on the log afterwards.\n\n"
              << d;
    return std::nullopt;
  }
  s.kill_one = vm.count("kill-one") > 0;
  if (vm.count("smoke")) {
    s.connections = 8;
    s.warm_up = 0.2;
    s.seconds = 1;
  }
  if (!s.database.starts_with("postgresql://")) tools::die("--database must be a PostgreSQL URL");
  if (s.servers != 1 && s.servers != 2) tools::die("--servers must be 1 or 2");
  if (s.kill_one && s.servers != 2) tools::die("--kill-one needs two servers");
  if (s.connections < 2 || s.threads == 0 || s.seconds <= 0 || s.warm_up < 0) {
    tools::die("connections must be at least 2; threads and seconds positive");
  }
  for (char c : s.schema) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') tools::die("--schema: letters, digits and _ only");
  }
  return s;
}

// The URL of a fresh, empty schema of the database: dropped if it exists, then created.
std::string fresh_schema(const Settings& s) {
  auto sql = store::open_session(s.database);
  if (!sql.ok()) tools::die("connecting to " + s.database + ": " + sql.error().message);
  *sql.value() << "DROP SCHEMA IF EXISTS " + s.schema + " CASCADE";
  *sql.value() << "CREATE SCHEMA " + s.schema;
  char separator = s.database.find('?') == std::string::npos ? '?' : '&';
  return s.database + separator + "options=-csearch_path%3D" + s.schema;
}

// What the two servers answered: each 201's seq, and every status.
struct Answers {
  std::mutex mutex;
  std::vector<std::uint64_t> seqs;
  std::uint64_t unreadable = 0;  // a 201 whose body names no seq
  void add(int status, const std::string& body) {
    if (status != 201) return;
    std::error_code ec;
    json::value v = json::parse(body, ec);
    const json::value* seq = !ec && v.is_object() ? v.as_object().if_contains("seq") : nullptr;
    std::lock_guard lock(mutex);
    if (seq != nullptr && seq->is_int64()) seqs.push_back(static_cast<std::uint64_t>(seq->as_int64()));
    else ++unreadable;
  }
};

struct Invariants {
  long long over_cap = 0;       // persons with more than six approved work-for-training months
  long long paid_twice = 0;     // (person, month) approved more than once
  long long claim_ids = 0;      // initial decisions
  long long distinct_claims = 0;
};

Invariants check_invariants(const std::string& url) {
  auto sql = store::open_session(url);
  if (!sql.ok()) tools::die("connecting: " + sql.error().message);
  Invariants i;
  *sql.value() << "SELECT COUNT(*) FROM (SELECT id_number FROM person_approvals WHERE program = 'work_for_training' "
                  "GROUP BY id_number HAVING COUNT(*) > 6) AS over",
      soci::into(i.over_cap);
  *sql.value() << "SELECT COUNT(*) FROM (SELECT id_number, governing_month FROM person_approvals "
                  "GROUP BY id_number, program, governing_month HAVING COUNT(*) > 1) AS twice",
      soci::into(i.paid_twice);
  *sql.value() << "SELECT COUNT(*), COUNT(DISTINCT claim_id) FROM claim_decisions WHERE kind = 'initial'",
      soci::into(i.claim_ids), soci::into(i.distinct_claims);
  return i;
}

int run(const Settings& s) {
  fs::path bin = tools::own_directory();
  fs::path dir = tools::make_temporary_directory("subsidy-bench-shared");  // the key both servers sign with
  std::string url = fresh_schema(s);
  std::string bearer = tools::create_token(bin / "subsidy-admin", url, "clerk");
  const std::vector<std::string> shared = {"--shared-log", s.servers == 2 ? "true" : "false", "--snapshot", "none"};
  // One after the other: the first seeds the catalogue, the second folds it from the log.
  tools::Daemon a(bin / "subsidyd", s.root, dir, url, s.threads, shared);
  tools::wait_until_serving(a.port());
  std::optional<tools::Daemon> second_server;
  if (s.servers == 2) {
    second_server.emplace(bin / "subsidyd", s.root, dir, url, s.threads, shared);
    tools::wait_until_serving(second_server->port());
  }
  tools::Daemon& b = s.servers == 2 ? *second_server : a;
  std::printf("subsidy-bench-shared: %u server(s) (%u thread(s) each) on one PostgreSQL log, %zu connections split "
              "over %s, %.1f s warm-up + %.1f s\nclaim mix: %s; the n-th claim of each half is for the same "
              "person and months\n",
              s.servers, s.threads, s.connections, s.servers == 2 ? "both" : "two halves", s.warm_up, s.seconds,
              tools::claim_mix_text);
  std::fflush(stdout);
  std::uint64_t before = tools::head_seq(url);

  Answers answers;
  auto drive = [&](std::uint16_t port, std::size_t connections, const std::string& prefix) {
    tools::LoadOptions o;
    o.port = port;
    o.bearer = bearer;
    o.connections = connections;
    o.warm_up = std::chrono::milliseconds(static_cast<std::int64_t>(s.warm_up * 1000));
    o.duration = std::chrono::milliseconds(static_cast<std::int64_t>(s.seconds * 1000));
    o.on_answer = [&](int status, const std::string& body) { answers.add(status, body); };
    return tools::drive_load(o, tools::claims_to("/v1/claims", prefix));
  };
  tools::LoadResult on_b;
  std::thread second([&] { on_b = drive(b.port(), s.connections / 2, "BS-B-"); });
  std::thread killer;
  if (s.kill_one) {
    killer = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::duration<double>(s.warm_up + s.seconds / 2));
      a.kill_hard();
      std::printf("server A: SIGKILL half-way through, whatever it was doing\n");
      std::fflush(stdout);
    });
  }
  tools::LoadResult on_a = drive(a.port(), s.connections - s.connections / 2, "BS-A-");
  second.join();
  if (killer.joinable()) killer.join();
  int exit_a = s.kill_one ? 0 : a.terminate();
  int exit_b = s.servers == 2 ? b.terminate() : exit_a;
  std::uint64_t after = tools::head_seq(url);

  bool correct = true;
  auto report = [&](const char* name, const tools::LoadResult& r, bool killed) {
    std::printf("server %s  %8.0f decisions/s  p50 %6.2f ms  p99 %7.2f ms  max %7.2f ms  non-2xx %llu, failed %llu%s\n", name,
                r.requests_per_second(), r.percentile_us(0.50) / 1000, r.percentile_us(0.99) / 1000, r.max_us() / 1000,
                static_cast<unsigned long long>(r.non_2xx()), static_cast<unsigned long long>(r.transport_errors),
                killed ? " (killed: its clients' failures are expected)" : "");
    correct = correct && r.non_2xx() == 0 && (killed || r.transport_errors == 0);
  };
  report(s.servers == 2 ? "A" : "A, first half", on_a, s.kill_one);
  report(s.servers == 2 ? "B" : "A, second half", on_b, false);
  std::printf("together %8.0f decisions/s (target P5: >= 10,000 -> %s)\n",
              on_a.requests_per_second() + on_b.requests_per_second(),
              on_a.requests_per_second() + on_b.requests_per_second() >= 10'000 ? "met" : "not met");

  std::set<std::uint64_t> distinct(answers.seqs.begin(), answers.seqs.end());
  // A killed server may have committed its last batch without answering it: those records are
  // in the log without a 201 (at most one batch); every 201 must be there.
  std::uint64_t unanswered = after - before >= distinct.size() ? after - before - distinct.size() : 0;
  bool answered_in_log = distinct.size() == answers.seqs.size() && answers.unreadable == 0 &&
                         (distinct.empty() || (*distinct.begin() > before && *distinct.rbegin() <= after)) &&
                         after - before >= distinct.size() && (s.kill_one || unanswered == 0);
  std::printf("log: seq %llu -> %llu; %zu answers 201, each at its own seq in the log: %s; records without an "
              "answer: %llu\n",
              static_cast<unsigned long long>(before), static_cast<unsigned long long>(after), answers.seqs.size(),
              answered_in_log ? "yes" : "NO", static_cast<unsigned long long>(unanswered));
  Invariants inv = check_invariants(url);
  std::printf("persons above 6 approved months: %lld; months approved twice: %lld; initial decisions %lld for %lld "
              "claim_ids\n",
              inv.over_cap, inv.paid_twice, inv.claim_ids, inv.distinct_claims);
  correct = correct && answered_in_log && inv.over_cap == 0 && inv.paid_twice == 0 && inv.claim_ids == inv.distinct_claims;

  auto log = store::LogStore::open(url);
  auto heads = store::Heads::open(url);
  if (!log.ok() || !heads.ok()) tools::die("opening the log to replay it");
  const auto started = std::chrono::steady_clock::now();
  app::ReplayReport replayed = app::replay(*log.value(), heads.value().get());
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("replay: %llu records, %llu signed heads, %zu findings, %.1f s: %s\n",
              static_cast<unsigned long long>(replayed.records), static_cast<unsigned long long>(replayed.heads),
              replayed.findings.size(), took, replayed.clean() ? "clean" : "NOT CLEAN");
  for (std::size_t i = 0; i < replayed.findings.size() && i < 5; ++i) {
    const app::ReplayFinding& f = replayed.findings[i];
    std::printf("  seq %llu %s: %s\n", static_cast<unsigned long long>(f.seq), f.field.c_str(), f.message.c_str());
  }
  if (s.kill_one) std::printf("subsidyd B: SIGTERM, exit %d\n", exit_b);
  else std::printf("subsidyd: SIGTERM, exit %d and %d\n", exit_a, exit_b);
  correct = correct && replayed.clean() && exit_a == 0 && exit_b == 0;
  std::printf("%s\n", correct ? "correct" : "INCORRECT");
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return correct ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return tools::run_tool("subsidy-bench-shared", [&] {
    std::optional<Settings> s = parse_settings(argc, argv);
    return s ? run(*s) : 0;
  });
}
