// subsidy-crash-test: quality.md R1 — kill -9 at random moments under load: every answered
// decision is present after restart, the chain is valid, there is no gap, and a restart takes
// under 2 s.
//
// Each round starts subsidyd on the same SQLite log, drives POST /v1/claims from several
// keep-alive connections (bench/claim_mix.h, new people every round), kills subsidyd with
// SIGKILL after a random delay, and then checks, with subsidyd dead, that every decision answered
// 201 is in the log at its seq with the hash it was answered with. After the last round subsidyd
// is started once more and stopped with SIGTERM, and the whole log is replayed (chain, Merkle
// roots against every signed head, every decision re-evaluated). subsidyd snapshots its state
// every 300 records, so kills also land between a commit and its snapshot and while one is
// written, and every third round starts on a torn snapshot: a state started from a wrong snapshot
// would decide otherwise than the replay does. Exit status 1 on any finding.
#include "store/heads.h"
#include "store/log_store.h"
#include "bench/claim_mix.h"
#include "bench/daemon.h"
#include "bench/load_client.h"
#include "app/replay.h"

#include <boost/json/parse.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <thread>
#include <vector>

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace subsidy;
using clock_type = std::chrono::steady_clock;

namespace {

// quality.md R1.
constexpr std::chrono::milliseconds restart_max{2000};
// Requests of round r are mix requests r * round_requests_max + n: new people and claim ids.
constexpr std::uint64_t round_requests_max = 10'000'000;

struct Settings {
  fs::path root = ".";
  int rounds = 50;
  std::size_t connections = 16;
  unsigned threads = 2;
  std::uint32_t seed = 20191107;
  int kill_after_min_ms = 100, kill_after_max_ms = 800;
  bool smoke = false, keep = false;
  std::string hash_alg = "sha256", sig_alg = "ed25519";  // of the log subsidyd creates
  // Snapshots every few hundred records, so that kills land between a commit and its snapshot
  // and in the middle of writing one.
  std::vector<std::string> daemon_arguments() const {
    return {"--hash-alg", hash_alg, "--sig-alg", sig_alg, "--snapshot-every", std::to_string(snapshot_every)};
  }
  std::uint64_t snapshot_every = 300;
};

// A decision the server answered 201: it must survive the crash.
struct Answered {
  std::uint64_t seq = 0;
  std::string hash;
};

class AnswerLog {
 public:
  void add(int status, const std::string& body) {
    if (status != 201) return;
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    const boost::json::object* o = ec ? nullptr : v.if_object();
    const boost::json::value* seq = o ? o->if_contains("seq") : nullptr;
    const boost::json::value* hash = o ? o->if_contains("hash") : nullptr;
    std::lock_guard lock(mutex_);
    if (!seq || !seq->is_int64() || !hash || !hash->is_string()) {
      ++malformed_;
      return;
    }
    answered_.push_back({static_cast<std::uint64_t>(seq->get_int64()), std::string(hash->get_string())});
  }
  std::vector<Answered> take() {
    std::lock_guard lock(mutex_);
    return std::move(answered_);
  }
  std::uint64_t malformed() const { return malformed_; }

 private:
  std::mutex mutex_;
  std::vector<Answered> answered_;
  std::uint64_t malformed_ = 0;
};

// The answered decisions that the log lacks or holds with another hash, each as a message.
std::vector<std::string> missing_from_log(const std::string& url, const std::vector<Answered>& answered) {
  auto log = store::LogStore::open(url);
  if (!log.ok()) tools::die("opening the log: " + log.error().message);
  std::vector<std::string> out;
  for (const Answered& a : answered) {
    auto records = log.value()->read(a.seq, 1);
    if (!records.ok()) tools::die("reading the log: " + records.error().message);
    if (records.value().empty() || records.value().front().seq != a.seq) {
      out.push_back("seq " + std::to_string(a.seq) + " was answered 201 but is not in the log");
    } else if (records.value().front().hash != a.hash) {
      out.push_back("seq " + std::to_string(a.seq) + " is in the log with another hash than it was answered with");
    }
  }
  return out;
}

struct RoundResult {
  bool torn_snapshot = false;  // started on a torn snapshot
  std::chrono::milliseconds restart{0};
  std::uint64_t answered = 0;
  std::vector<std::string> findings;
};

// Every third round starts on a torn snapshot (its second half lost, as a disk that failed
// mid-write would leave it): the start must refuse it and fold the log instead.
bool tear_snapshot(const fs::path& snapshot) {
  std::error_code ec;
  auto size = fs::file_size(snapshot, ec);
  if (ec || size < 2) return false;
  fs::resize_file(snapshot, size / 2, ec);
  return !ec;
}

RoundResult run_round(const Settings& s, int round, const fs::path& bin, const fs::path& dir, const std::string& url,
                      const std::string& bearer, std::mt19937& rng) {
  RoundResult r;
  if (round % 3 == 0 && tear_snapshot(dir / "crash.db.snapshot")) r.torn_snapshot = true;
  auto started = clock_type::now();
  tools::Daemon daemon(bin / "subsidyd", s.root, dir, url, s.threads, s.daemon_arguments());
  tools::wait_until_serving(daemon.port());
  r.restart = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - started);

  std::uniform_int_distribution<int> delay(s.kill_after_min_ms, s.kill_after_max_ms);
  auto kill_after = std::chrono::milliseconds(delay(rng));
  AnswerLog answers;
  tools::LoadOptions o;
  o.port = daemon.port();
  o.bearer = bearer;
  o.connections = s.connections;
  o.warm_up = std::chrono::milliseconds(0);
  o.duration = kill_after + std::chrono::milliseconds(300);  // past the kill: requests then fail
  o.request_timeout = std::chrono::milliseconds(2000);
  o.on_answer = [&answers](int status, const std::string& body) { answers.add(status, body); };
  const std::uint64_t offset = static_cast<std::uint64_t>(round) * round_requests_max;
  auto source = tools::claims_to("/v1/claims", "CR-");
  std::thread load([&] {
    tools::drive_load(o, [&](std::uint64_t n) { return source(offset + n); });
  });
  std::this_thread::sleep_for(kill_after);
  daemon.kill_hard();
  load.join();
  std::vector<Answered> answered = answers.take();
  r.answered = answered.size();
  r.findings = missing_from_log(url, answered);
  if (answers.malformed() > 0) r.findings.push_back(std::to_string(answers.malformed()) + " answers 201 without seq and hash");
  if (r.restart > restart_max && !s.smoke) {
    r.findings.push_back("the restart took " + std::to_string(r.restart.count()) + " ms (at most 2000)");
  }
  return r;
}

std::optional<Settings> parse_settings(int argc, char** argv) {
  Settings s;
  std::string root;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")("root", po::value(&root)->default_value("."),
                                                   "the repository (rules/, examples/, schemas/)")(
      "rounds", po::value(&s.rounds)->default_value(s.rounds), "kill -9 rounds")(
      "connections", po::value(&s.connections)->default_value(s.connections), "keep-alive connections of the load")(
      "seed", po::value(&s.seed)->default_value(s.seed), "seed of the kill delays (a run reproduces from it)")(
      "keep", "keep the temporary directory (the log)")(
      "algorithms", po::value<std::string>()->default_value("sha256+ed25519"),
      "the log's hash and signature algorithms: sha256+ed25519 or sm3+sm2")(
      "smoke", "3 rounds, for CI: correctness only, the restart time is reported, not enforced");
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, opts), vm);
  po::notify(vm);
  if (vm.count("help")) {
    std::cout << "Usage: subsidy-crash-test [options]\n\n"
                 "quality.md R1: starts subsidyd (built beside this tool) on a fresh SQLite log, loads it with\n"
                 "claims, kills it with SIGKILL after a random delay, and checks that every decision it answered\n"
                 "201 is in the log with the hash it answered; ROUNDS times, restarting on the same log (restart\n"
                 "< 2 s). Finally the log is replayed. Exit status 1 on any finding.\n\n"
              << opts;
    return std::nullopt;
  }
  s.root = root;
  s.smoke = vm.count("smoke") > 0;
  s.keep = vm.count("keep") > 0;
  if (s.smoke) s.rounds = 3;
  auto pair = store::parse_algorithms(vm["algorithms"].as<std::string>());
  if (!pair) tools::die("--algorithms takes sha256+ed25519 or sm3+sm2");
  s.hash_alg = audit::hash_alg_name(pair->hash);
  s.sig_alg = audit::sig_alg_name(pair->sig);
  if (s.rounds <= 0 || s.connections == 0) tools::die("rounds and connections must be positive");
  return s;
}

// The whole log, replayed with its signed heads; the findings, as messages.
std::vector<std::string> replay_findings(const std::string& url, app::ReplayReport& report) {
  auto log = store::LogStore::open(url);
  if (!log.ok()) tools::die("opening the log: " + log.error().message);
  auto heads = store::Heads::open(url);
  if (!heads.ok()) tools::die("opening the heads: " + heads.error().message);
  report = app::replay(*log.value(), heads.value().get());
  std::vector<std::string> out;
  for (const auto& f : report.findings) out.push_back("replay: seq " + std::to_string(f.seq) + " " + f.field + ": " + f.message);
  return out;
}

int run(const Settings& s) {
  fs::path bin = tools::own_directory();
  fs::path dir = tools::make_temporary_directory("subsidy-crash-test");
  std::string url = "sqlite://" + (dir / "crash.db").string();
  std::string bearer = tools::create_token(bin / "subsidy-admin", url, "clerk");
  std::mt19937 rng(s.seed);
  std::printf("subsidy-crash-test: %d rounds, %zu connections, kill after %d-%d ms, seed %u, log %s+%s\n", s.rounds,
              s.connections, s.kill_after_min_ms, s.kill_after_max_ms, s.seed, s.hash_alg.c_str(), s.sig_alg.c_str());
  std::vector<std::string> findings;
  std::uint64_t answered = 0;
  std::chrono::milliseconds slowest{0};
  for (int round = 1; round <= s.rounds; ++round) {
    RoundResult r = run_round(s, round, bin, dir, url, bearer, rng);
    answered += r.answered;
    slowest = std::max(slowest, r.restart);
    for (const std::string& f : r.findings) findings.push_back("round " + std::to_string(round) + ": " + f);
    std::printf("round %2d: restart %4lld ms%s, %5llu decisions answered, %zu missing or changed\n", round,
                static_cast<long long>(r.restart.count()), r.torn_snapshot ? " (torn snapshot)" : "",
                static_cast<unsigned long long>(r.answered), r.findings.size());
    std::fflush(stdout);
  }
  int exit_code = 0;
  {
    tools::Daemon last(bin / "subsidyd", s.root, dir, url, s.threads, s.daemon_arguments());  // starts after the last crash
    tools::wait_until_serving(last.port());
    exit_code = last.terminate();
  }
  if (exit_code != 0) findings.push_back("subsidyd exited " + std::to_string(exit_code) + " on SIGTERM after the last crash");
  app::ReplayReport report;
  for (const std::string& f : replay_findings(url, report)) findings.push_back(f);
  std::printf("answered 201: %llu decisions, all checked in the log after each kill; slowest restart %lld ms (R1: < 2000)\n"
              "replay: %llu records, %llu decisions re-evaluated, %llu signed heads checked: %s\n",
              static_cast<unsigned long long>(answered), static_cast<long long>(slowest.count()),
              static_cast<unsigned long long>(report.records), static_cast<unsigned long long>(report.decisions),
              static_cast<unsigned long long>(report.heads), report.clean() ? "clean" : "FINDINGS");
  for (const std::string& f : findings) std::printf("FINDING %s\n", f.c_str());
  std::printf("%s\n", findings.empty() ? "R1 met: no answered decision lost, chain and heads valid" : "R1 NOT MET");
  std::error_code ignored;
  if (!s.keep) fs::remove_all(dir, ignored);
  else std::printf("kept %s\n", dir.c_str());
  return findings.empty() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return tools::run_tool("subsidy-crash-test", [&] {
    std::optional<Settings> s = parse_settings(argc, argv);
    return s ? run(*s) : 0;
  });
}
