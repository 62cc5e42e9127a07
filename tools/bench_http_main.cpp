// subsidy-bench-http: quality.md P1 and P6 over HTTP, against the HTTP ceiling measured in the
// same run.
//
//   ceiling  an in-process Beast + Boost.JSON server (bench/ceiling_server.h) that parses
//            each claim and answers a fixed 300-byte JSON: what HTTP and JSON cost at the least;
//   P1       POST /v1/claims on subsidyd (started as a child process on a fresh SQLite log,
//            synchronous=FULL, answered after commit): >= 50% of the ceiling, p99 <= 10 ms, no
//            non-2xx, and no answered decision missing from the log (its head after the run =
//            its head before + the 201 answers);
//   P6       POST /v1/eligibility on the same subsidyd (a dry run, nothing written): >= 80%.
// Each phase: the same closed-loop client (bench/load_client.h), the same claim mix, a
// warm-up, then a fixed duration. Exit status 1 when an answer was not 2xx, a request failed, the
// log misses a decision or subsidyd did not stop cleanly; the targets are reported, not enforced.
// --mix FILE sends the claims of a JSON Lines file instead of the built-in mix (each phase the
// same claims), and --write-mix FILE --claims N writes the built-in mix as such a file, so that a
// reference server can be sent exactly the same claims.
#include "bench/ceiling_server.h"
#include "bench/claim_file.h"
#include "bench/claim_mix.h"
#include "bench/daemon.h"
#include "bench/load_client.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace subsidy;
using subsidy::tools::LoadRequest;
using subsidy::tools::LoadResult;

namespace {

// ---- Settings, phases, report -----------------------------------------------------------------

struct Settings {
  fs::path root = ".";
  std::size_t connections = 64;
  unsigned threads = 2, client_threads = 1;
  double seconds = 10, warm_up = 2;
  std::uint64_t requests = 0;
  bool smoke = false, as_json = false, keep = false;
  fs::path mix_file;        // "" for the built-in mix
  fs::path write_mix_file;  // write the built-in mix here and stop
  std::uint64_t mix_claims = 100'000;
};

struct Phase {
  const char* name;
  const char* what;
  LoadResult result;
};

LoadResult run_phase(const Settings& s, std::uint16_t port, const std::string& bearer, const tools::RequestSource& source) {
  tools::LoadOptions o;
  o.port = port;
  o.bearer = bearer;
  o.connections = s.connections;
  o.threads = s.client_threads;
  o.warm_up = std::chrono::milliseconds(static_cast<std::int64_t>(s.warm_up * 1000));
  o.duration = std::chrono::milliseconds(static_cast<std::int64_t>(s.seconds * 1000));
  o.requests = s.requests;
  return tools::drive_load(o, source);
}

std::string statuses_text(const LoadResult& r) {
  std::string out;
  for (auto [status, n] : r.statuses) out += (out.empty() ? "" : ", ") + std::to_string(status) + ": " + std::to_string(n);
  return out.empty() ? "none" : out;
}

void print_phase(const Phase& p) {
  const LoadResult& r = p.result;
  std::printf("%-8s %-40s %9.0f req/s  p50 %6.2f ms  p99 %6.2f ms  p999 %6.2f ms  max %7.2f ms  (%zu measured; "
              "all answers %s; non-2xx %llu, failed %llu, reconnects %llu)\n",
              p.name, p.what, r.requests_per_second(), r.percentile_us(0.50) / 1000, r.percentile_us(0.99) / 1000,
              r.percentile_us(0.999) / 1000, r.max_us() / 1000, r.latencies_us.size(), statuses_text(r).c_str(),
              static_cast<unsigned long long>(r.non_2xx()), static_cast<unsigned long long>(r.transport_errors),
              static_cast<unsigned long long>(r.reconnects));
}

json::object phase_json(const LoadResult& r) {
  json::object statuses;
  for (auto [status, n] : r.statuses) statuses[std::to_string(status)] = n;
  return json::object{{"requests_per_second", r.requests_per_second()},
                      {"p50_ms", r.percentile_us(0.50) / 1000},
                      {"p99_ms", r.percentile_us(0.99) / 1000},
                      {"p999_ms", r.percentile_us(0.999) / 1000},
                      {"max_ms", r.max_us() / 1000},
                      {"measured", r.latencies_us.size()},
                      {"measured_seconds", r.measured_seconds},
                      {"statuses", std::move(statuses)},
                      {"non_2xx", r.non_2xx()},
                      {"failed", r.transport_errors},
                      {"reconnects", r.reconnects}};
}

struct Outcome {
  std::uint64_t head_before = 0, head_after = 0, created = 0;
  int subsidyd_exit = 0;
  double p1_ratio = 0, p6_ratio = 0, p1_p99_ms = 0;
  bool log_complete = false, correct = false, p1_met = false, p6_met = false;
};

Outcome judge(const std::vector<Phase>& phases, std::uint64_t before, std::uint64_t after, int exit_code) {
  const LoadResult &ceiling = phases[0].result, &p1 = phases[1].result, &p6 = phases[2].result;
  Outcome o{before, after, p1.count(201), exit_code};
  double top = ceiling.requests_per_second();
  o.p1_ratio = top > 0 ? p1.requests_per_second() / top : 0;
  o.p6_ratio = top > 0 ? p6.requests_per_second() / top : 0;
  o.p1_p99_ms = p1.percentile_us(0.99) / 1000;
  o.log_complete = after == before + o.created && p6.count(201) == 0;
  o.correct = o.log_complete && exit_code == 0;
  for (const Phase& p : phases) {
    o.correct = o.correct && p.result.non_2xx() == 0 && p.result.transport_errors == 0 && !p.result.latencies_us.empty();
  }
  o.p1_met = o.correct && o.p1_ratio >= 0.5 && o.p1_p99_ms <= 10;
  o.p6_met = o.correct && o.p6_ratio >= 0.8;
  return o;
}

const char* met(bool yes) { return yes ? "met" : "NOT MET"; }

void print_outcome(const Outcome& o, const std::vector<Phase>& phases) {
  std::printf("log: head %llu before P1 (catalogue records), %llu after; 201 answers %llu: %s\n",
              static_cast<unsigned long long>(o.head_before), static_cast<unsigned long long>(o.head_after),
              static_cast<unsigned long long>(o.created),
              o.log_complete ? "no answered decision missing" : "DECISIONS MISSING OR EXTRA");
  std::printf("subsidyd: SIGTERM, exit %d\n", o.subsidyd_exit);
  std::printf("P1 ratio to the ceiling %.3f (target >= 0.50: %s); p99 %.2f ms (target <= 10 ms: %s); non-2xx %llu; "
              "log complete: %s\n",
              o.p1_ratio, met(o.p1_ratio >= 0.5), o.p1_p99_ms, met(o.p1_p99_ms <= 10),
              static_cast<unsigned long long>(phases[1].result.non_2xx()), o.log_complete ? "yes" : "NO");
  std::printf("P6 ratio to the ceiling %.3f (target >= 0.80: %s)\n", o.p6_ratio, met(o.p6_ratio >= 0.8));
  std::printf("P1 %s, P6 %s; %s\n", met(o.p1_met), met(o.p6_met), o.correct ? "every check passed" : "CHECKS FAILED");
}

void print_json(const Settings& s, const Outcome& o, const std::vector<Phase>& phases) {
  json::object out{{"connections", s.connections},
                   {"server_threads", s.threads},
                   {"client_threads", s.client_threads},
                   {"warm_up_s", s.warm_up},
                   {"seconds", s.seconds},
                   {"mix", s.mix_file.empty() ? std::string(tools::claim_mix_text) : s.mix_file.string()}};
  for (const Phase& p : phases) out[p.name] = phase_json(p.result);
  out["p1_ratio"] = o.p1_ratio;
  out["p6_ratio"] = o.p6_ratio;
  out["log"] = {{"head_before", o.head_before}, {"head_after", o.head_after}, {"created", o.created}, {"complete", o.log_complete}};
  out["subsidyd_exit"] = o.subsidyd_exit;
  out["correct"] = o.correct;
  out["p1_met"] = o.p1_met;
  out["p6_met"] = o.p6_met;
  std::cout << json::serialize(out) << std::endl;
}

std::optional<Settings> parse_settings(int argc, char** argv) {
  Settings s;
  po::options_description opts("Options");
  opts.add_options()("help,h", "show this help")(
      "root", po::value(&s.root)->default_value(s.root), "the repository: rules/, examples/catalogue.json, schemas/")(
      "connections", po::value(&s.connections)->default_value(s.connections), "keep-alive connections")(
      "threads", po::value(&s.threads)->default_value(s.threads), "server threads: the ceiling's and subsidyd's --threads")(
      "client-threads", po::value(&s.client_threads)->default_value(s.client_threads), "load generator threads")(
      "seconds", po::value(&s.seconds)->default_value(s.seconds), "measured seconds per phase")(
      "warm-up", po::value(&s.warm_up)->default_value(s.warm_up), "seconds of warm-up per phase (answers checked, not timed)")(
      "requests", po::value(&s.requests), "measure this many requests per phase instead of --seconds")(
      "mix", po::value(&s.mix_file), "send the claims of this JSON Lines file (one claim per line; each request's "
                                      "claim_id is replaced by a unique one) instead of the built-in mix")(
      "write-mix", po::value(&s.write_mix_file), "write --claims claims of the built-in mix to this file and stop")(
      "claims", po::value(&s.mix_claims)->default_value(s.mix_claims), "how many claims --write-mix writes")(
      "json", "print a machine-readable summary only")("keep", "keep the temporary directory (the log)")(
      "smoke", "CI: 4 connections, 0.2 s warm-up and 1 s per phase; still checks every answer and the log");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "subsidy-bench-http: " << e.what() << "\n";
    std::exit(2);
  }
  if (vm.count("help")) {
    std::cout << "Usage: subsidy-bench-http [options]   (run from the repository, or give --root)\n\n"
                 "quality.md P1 (POST /v1/claims, durable) and P6 (POST /v1/eligibility) on subsidyd, each\n"
                 "against the HTTP ceiling (a Beast + Boost.JSON server answering a fixed 300-byte JSON)\n"
                 "measured in the same run.\n\n"
              << opts;
    return std::nullopt;
  }
  s.smoke = vm.count("smoke") > 0;
  s.as_json = vm.count("json") > 0;
  s.keep = vm.count("keep") > 0;
  if (s.smoke) {
    s.connections = 4;
    s.warm_up = 0.2;
    s.seconds = 1;
  }
  if (s.connections == 0 || s.threads == 0 || s.client_threads == 0 || s.seconds <= 0 || s.warm_up < 0) {
    tools::die("connections, threads and seconds must be positive");
  }
  return s;
}

// The ceiling, then subsidyd: P1, P6, SIGTERM, the log's head.
int run(const Settings& s) {
  if (!s.write_mix_file.empty()) {
    tools::write_mix_file(s.write_mix_file, s.mix_claims, "MIX-");
    std::printf("wrote %llu claims of the built-in mix to %s\n", static_cast<unsigned long long>(s.mix_claims),
                s.write_mix_file.c_str());
    return 0;
  }
  // The requests of a phase: the built-in mix, or the file's claims, to target.
  std::vector<json::object> file_claims;
  if (!s.mix_file.empty()) file_claims = tools::read_claim_file(s.mix_file);
  auto claims_to = [&](const char* target, const char* prefix) {
    return file_claims.empty() ? tools::claims_to(target, prefix) : tools::claims_from(file_claims, target, prefix);
  };
  fs::path bin = tools::own_directory();
  fs::path dir = tools::make_temporary_directory("subsidy-bench-http");
  std::string url = "sqlite://" + (dir / "bench.db").string();
  if (!s.as_json) {
    std::printf("subsidy-bench-http: %zu connections, %u client thread(s), %u server threads, %.1f s warm-up + %.1f s per phase\n"
                "claims: %s\n",
                s.connections, s.client_threads, s.threads, s.warm_up, s.seconds,
                file_claims.empty() ? tools::claim_mix_text
                                    : (std::to_string(file_claims.size()) + " from " + s.mix_file.string()).c_str());
  }
  std::vector<Phase> phases;
  {
    tools::CeilingServer ceiling(s.threads);
    phases.push_back({"ceiling", "Beast + Boost.JSON, fixed 300-byte answer", run_phase(s, ceiling.port(), "", claims_to("/v1/claims", "BH-R-"))});
  }
  if (!s.as_json) print_phase(phases.back());
  std::string bearer = tools::create_token(bin / "subsidy-admin", url, "clerk");
  tools::Daemon daemon(bin / "subsidyd", s.root, dir, url, s.threads);
  tools::wait_until_serving(daemon.port());
  std::fflush(stdout);  // keep the order of the two streams on a terminal
  std::fprintf(stderr, "subsidyd pid %d on port %u, log %s\n", static_cast<int>(daemon.pid()), daemon.port(), url.c_str());
  std::uint64_t before = tools::head_seq(url);
  phases.push_back({"P1", "POST /v1/claims (SQLite, synchronous=FULL)", run_phase(s, daemon.port(), bearer, claims_to("/v1/claims", "BH-C-"))});
  if (!s.as_json) print_phase(phases.back());
  phases.push_back({"P6", "POST /v1/eligibility (dry run)", run_phase(s, daemon.port(), bearer, claims_to("/v1/eligibility", "BH-E-"))});
  if (!s.as_json) print_phase(phases.back());
  int exit_code = daemon.terminate();
  Outcome o = judge(phases, before, tools::head_seq(url), exit_code);
  if (s.as_json) print_json(s, o, phases);
  else print_outcome(o, phases);
  std::error_code ignored;
  if (!s.keep) fs::remove_all(dir, ignored);
  else std::fprintf(stderr, "kept %s\n", dir.c_str());
  return o.correct ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  return tools::run_tool("subsidy-bench-http", [&] {
    std::optional<Settings> s = parse_settings(argc, argv);
    return s ? run(*s) : 0;
  });
}
