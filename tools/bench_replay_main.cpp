// subsidy-bench-replay: times the auditor's replay (quality.md P3: >= 250,000 records/s on one
// core; 10 million records in under a minute). It builds a SQLite log of N decisions -- a seeded
// mix of work_for_training, pre_job_training and project_training claims with their settlements,
// decided by the real engine and appended as exactly the records DecisionRecorder writes
// (make_decision_record(), the ruleset texts through RulesetArchive), in batches, after the
// catalogue records that the claims need -- or reuses one (--database FILE that exists), then runs app::replay() over it,
// the code path of `subsidy-audit replay --database`, and prints records/s, decisions/s and where
// the time went. Building the log is timed separately and is not part of the replay figure.
#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/identity.h"
#include "engine/evaluator.h"
#include "engine/memory_systems.h"
#include "engine/ledger.h"
#include "engine/memory_history.h"
#include "engine/memory_catalogue.h"
#include "store/catalogue_records.h"
#include "store/clock.h"
#include "store/decision_record.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/record_format.h"
#include "app/files.h"
#include "app/log_fold.h"
#include "app/replay.h"
#include "app/snapshot.h"
#include "app/state_codec.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <sys/resource.h>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
namespace rf = subsidy::store::record_format;
using namespace subsidy;

namespace {

using steady = std::chrono::steady_clock;

double seconds_since(steady::time_point start) {
  return std::chrono::duration<double>(steady::now() - start).count();
}

// CPU time of this process (user + system), s: on a shared machine the wall clock also counts
// time spent waiting for a core; both are printed.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// The catalogue the generated claims name. The log starts with its entries as catalogue records
// (store/catalogue_records.h), so the replay rebuilds it from the log, as subsidy-audit does.
const char* const catalogue_text = R"({
  "institutions": [
    {"credit_code": "52411202MA44D0004E", "name": "湖滨区职业技能培训学校", "kind": "training", "valid_from": "2019-01-01", "valid_to": null}
  ],
  "projects": [
    {"code": "HB-PJ-CARE-01", "name": "养老护理员培训", "occupation": "养老护理员", "program": "project_training", "standard_fen": 150000, "valid_from": "2019-01-01", "valid_to": null},
    {"code": "HB-PJ-WELD-01", "name": "焊工岗前技能培训", "occupation": "焊工", "program": "pre_job_training", "standard_fen": 80000, "valid_from": "2019-01-01", "valid_to": null}
  ]
})";

std::string resident_id(std::uint64_t n) {
  char first17[40];
  // Born 1960..1999, any month, days 1..28; the order code and district keep ids unique.
  std::snprintf(first17, sizeof first17, "%06u%04u%02u%02u%03u", 110000u + static_cast<unsigned>(n / 13440000 % 800000),
                1960u + static_cast<unsigned>(n % 40), 1u + static_cast<unsigned>(n / 40 % 12),
                1u + static_cast<unsigned>(n / 480 % 28), static_cast<unsigned>(n / 13440 % 1000));
  std::string s(first17, 17);
  return s + *resident_id_check_char(s);
}

std::string credit_code(std::uint64_t n, const char* prefix) {
  char body[40];
  std::snprintf(body, sizeof body, "%s411202MA%07u", prefix, static_cast<unsigned>(n % 10000000));
  std::string s(body, 17);
  return s + *credit_code_check_char(s);
}

std::string month_text(int index_from_2019_10) {
  int m = 9 + index_from_2019_10;  // months since 2019-01, zero-based
  char out[32];  // room for any two ints: -Wformat-truncation
  std::snprintf(out, sizeof out, "%04d-%02d", 2019 + m / 12, 1 + m % 12);
  return out;
}

json::array evidence(std::initializer_list<const char*> kinds) {
  json::array out;
  int n = 1;
  for (const char* k : kinds) out.push_back(json::object{{"kind", k}, {"ref", "REF-" + std::to_string(n++)}});
  return out;
}

// One step of the stream: a claim, or the settlement of an earlier project_training claim.
struct Step {
  bool settlement = false;
  std::string claim_id;
  json::value body;
};

// A seeded stream of claims: about 80% work_for_training (people come back, reach the six-month
// cap, claim months already paid; route B people, uninsured employers, cooperatives), 12%
// pre_job_training (often for people with 以工代训 months at the same entity: excluded), 8%
// project_training classes of 3 to 12 trainees, each settled about 50 steps later.
class Generator {
 public:
  Generator(std::uint64_t seed, std::uint64_t decisions) : rng_(seed), persons_(std::max<std::uint64_t>(decisions / 4, 10)) {}

  Step next(std::uint64_t step) {
    if (!due_.empty() && due_.front().first <= step) {
      auto [at, block] = due_.front();
      due_.pop_front();
      return {true, project_id(block), settlement(block)};
    }
    std::uint64_t r = rng_() % 100;
    if (r < 80) return {false, "", work_for_training()};
    if (r < 92) return {false, "", pre_job_training()};
    return {false, "", project_training(step)};
  }

  // The class of block was approved: settle it later.
  void settle_later(std::uint64_t step, const std::string& claim_id) {
    due_.emplace_back(step + 50, std::stoull(claim_id.substr(claim_id.rfind('-') + 1)));
  }
  bool pending() const { return !due_.empty(); }

 private:
  static std::string project_id(std::uint64_t block) { return "BR-P-" + std::to_string(block); }

  json::object entity(std::uint64_t who) {
    bool coop = who % 7 == 0;
    return json::object{{"credit_code", credit_code(who % 997, coop ? "93" : "91")},
                        {"name", coop ? "湖滨区某农民专业合作社" : "湖滨区某食品有限公司"},
                        {"type", coop ? "farmer_cooperative" : "enterprise"},
                        {"insured", who % 11 != 0}};
  }

  json::value work_for_training() {
    std::uint64_t who = rng_() % persons_;
    bool route_b = who % 5 == 0;
    int start = static_cast<int>(rng_() % 18);
    int count = 1 + static_cast<int>(rng_() % 3);
    json::array months;
    for (int i = 0; i < count; ++i) months.emplace_back(month_text(start + i));
    json::array ev = evidence({"roster", "labour_contract", "wage_records"});
    if (route_b) ev.push_back(json::object{{"kind", "social_insurance"}, {"ref", "SI-1"}});
    return json::value{
        {"claim_id", "BR-W-" + std::to_string(next_claim_++)},
        {"program", "work_for_training"},
        {"submitted_on", "2021-06-15"},
        {"entity", entity(who)},
        {"person", {{"id_number", resident_id(who)}, {"name", "员工" + std::to_string(who)},
                    {"categories", json::array{route_b ? "employment_difficult" : "poor_laborer"}}}},
        {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
        {"months", std::move(months)},
        {"evidence", std::move(ev)}};
  }

  json::value pre_job_training() {
    std::uint64_t who = rng_() % persons_;
    return json::value{
        {"claim_id", "BR-J-" + std::to_string(next_claim_++)},
        {"program", "pre_job_training"},
        {"submitted_on", "2020-10-20"},
        {"entity", entity(who)},
        {"person", {{"id_number", resident_id(who)}, {"name", "员工" + std::to_string(who)},
                    {"categories", json::array{"rural_migrant"}}}},
        {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
        {"project", {{"code", "HB-PJ-WELD-01"}}},
        {"training", {{"start", "2019-10-10"}, {"end", "2019-10-25"}}},
        {"evidence", evidence({"roster", "labour_contract", "training_record"})}};
  }

  json::value project_training(std::uint64_t step) {
    std::uint64_t block = step;
    int trainees = 3 + static_cast<int>(rng_() % 10);
    json::array list;
    std::vector<std::uint64_t>& ids = classes_[block];
    for (int t = 0; t < trainees; ++t) {
      std::uint64_t who = persons_ + next_trainee_++;  // each trainee once: a class is never refused for overlap
      ids.push_back(who);
      list.push_back(json::object{{"id_number", resident_id(who)}, {"name", "学员" + std::to_string(who)},
                                  {"categories", json::array{t % 9 == 0 ? "college_graduate" : "rural_migrant"}}});
    }
    int m = static_cast<int>(rng_() % 12);
    return json::value{
        {"claim_id", project_id(block)},
        {"program", "project_training"},
        {"submitted_on", "2020-04-30"},
        {"entity", {{"credit_code", "52411202MA44D0004E"}, {"name", "湖滨区职业技能培训学校"}, {"type", "training_institution"}}},
        {"project", {{"code", "HB-PJ-CARE-01"}, {"start", "2020-" + std::string(m < 9 ? "0" : "") + std::to_string(m + 1) + "-06"},
                     {"end", "2020-" + std::string(m < 9 ? "0" : "") + std::to_string(m + 1) + "-26"}}},
        {"trainees", std::move(list)},
        {"evidence", evidence({"class_plan", "roster"})}};
  }

  json::value settlement(std::uint64_t block) {
    json::array results;
    auto it = classes_.find(block);
    for (std::uint64_t who : it->second) results.push_back(json::object{{"id_number", resident_id(who)}, {"passed", rng_() % 4 != 0}});
    classes_.erase(it);
    return json::value{{"settled_on", "2021-01-15"},
                       {"results", std::move(results)},
                       {"evidence", evidence({"assessment_results", "attendance"})}};
  }

  std::mt19937_64 rng_;
  std::uint64_t persons_;
  std::uint64_t next_claim_ = 0;
  std::uint64_t next_trainee_ = 0;
  std::deque<std::pair<std::uint64_t, std::uint64_t>> due_;  // (step, block)
  std::map<std::uint64_t, std::vector<std::uint64_t>> classes_;
};

struct Built {
  std::uint64_t decisions = 0;
  std::map<std::string, std::uint64_t> kinds;  // program/kind/outcome -> count
};

// Decides `decisions` generated steps with the engine and appends each decision record as
// DecisionRecorder::append() builds it (decided_at from a clock that advances a second per
// decision), batch_size records per transaction.
bool build_log(store::LogStore& log, const RulesetSet& rulesets, const MemoryCatalogue& catalogue,
               std::uint64_t decisions, std::uint64_t seed, std::size_t batch_size, Built& built) {
  Generator gen(seed, decisions);
  store::RulesetArchive archive(rulesets);
  std::vector<store::NewRecord> batch;
  batch.reserve(batch_size);
  const auto epoch = std::chrono::sys_seconds(std::chrono::sys_days(std::chrono::year(2021) / 1 / 1));
  auto flush = [&]() {
    if (batch.empty()) return true;
    auto seqs = log.append(batch);
    if (!seqs.ok()) {
      std::cerr << "subsidy-bench-replay: append failed: " << seqs.error().message << "\n";
      return false;
    }
    batch.clear();
    return true;
  };
  std::string at = store::rfc3339_now(store::FixedClock(epoch));
  for (const InstitutionEntry& e : catalogue.institutions()) batch.push_back(store::institution_record(e, "", at));
  for (const ProjectEntry& e : catalogue.projects()) batch.push_back(store::project_record(e, "", at));
  Seq seq = batch.size();
  // Deciding as the Ledger does (decide or settle, then record in the history), numbered by log seq.
  MemoryHistory history;
  history.reserve(decisions / 2, decisions);
  Decision decision;
  const MemorySystems no_imports;  // the generated history imports no registry
  for (std::uint64_t step = 0; built.decisions < decisions; ++step) {
    Step s = gen.next(step);
    EvalStatus status;
    std::string claim_id = s.claim_id;
    ++seq;
    if (s.settlement) {
      auto parsed = parse_settlement(s.body);
      if (!std::holds_alternative<SettlementRequest>(parsed)) { std::cerr << "generated settlement is invalid\n"; return false; }
      const ClaimHistory* ch = history.claim(claim_id);
      if (ch == nullptr) { std::cerr << "no claim " << claim_id << " to settle\n"; return false; }
      status = settle(*ch, std::get<SettlementRequest>(parsed), history, catalogue, no_imports, rulesets, decision);
      if (status.ok()) history.record(ch->claim, decision, seq);
    } else {
      auto parsed = parse_claim(s.body);
      if (!std::holds_alternative<Claim>(parsed)) {
        std::cerr << "generated claim is invalid: " << std::get<Problems>(parsed).front().pointer << " "
                  << std::get<Problems>(parsed).front().message << "\n";
        return false;
      }
      const Claim& claim = std::get<Claim>(parsed);
      claim_id = claim.claim_id;
      status = decide(claim, history, catalogue, no_imports, rulesets, decision);
      if (status.ok()) history.record(claim, decision, seq);
    }
    if (!status.ok()) {
      std::cerr << "subsidy-bench-replay: the engine refused step " << step << ": " << status.message << "\n";
      return false;
    }
    LedgerEntry entry{seq, numbered_decision_json(seq, decision)};
    if (store::Status stored = archive.ensure_stored(log, entry.decision.at("rulesets")); !stored.ok()) {
      std::cerr << "subsidy-bench-replay: " << stored.error().message << "\n";
      return false;
    }
    std::string outcome(entry.decision.at("outcome").as_string());
    std::string kind(entry.decision.at("kind").as_string());
    std::string program(entry.decision.at("program").as_string());
    built.kinds[program + "/" + kind + "/" + outcome]++;
    if (!s.settlement && program == "project_training" && outcome != "rejected" && outcome != "needs_review") {
      gen.settle_later(step, claim_id);
    }
    // The record DecisionRecorder::append() makes (store/decision_record.h), without a token.
    store::NewRecord record = store::make_decision_record(
        s.body, claim_id, std::move(entry.decision),
        store::rfc3339_now(store::FixedClock(epoch + std::chrono::seconds(entry.seq))), "");
    batch.push_back(std::move(record));
    ++built.decisions;
    if (batch.size() == batch_size && !flush()) return false;
  }
  return flush();
}

void print_split(const app::ReplayTimings& t, double total) {
  const double n = static_cast<double>(t.records);
  auto row = [&](const char* name, double s) {
    std::printf("  %-34s %8.3f s  %5.1f%%  %8.0f ns/record\n", name, s, 100 * s / total, n > 0 ? 1e9 * s / n : 0.0);
  };
  row("read + chain + canonical check", t.read_chain);
  row("parse (record JSON, claim)", t.parse);
  row("evaluate (engine)", t.evaluate);
  row("compare (render + diff)", t.compare);
  row("other (heads, Merkle, bookkeeping)", total - t.read_chain - t.parse - t.evaluate - t.compare);
}

}  // namespace

// The server's start on this log (P4 start-up), both ways: folding every record (no snapshot),
// and reading a snapshot of the same state then the log after it (none here). Prints each step.
bool time_start_up(const std::string& url, const std::string& database) {
  auto log = store::LogStore::open(url);
  if (!log.ok()) { std::cerr << "subsidy-bench-replay: " << log.error().message << "\n"; return false; }
  auto start = steady::now();
  app::State state;
  auto folded = app::fold_log(state, *log.value());
  if (!folded.ok()) { std::cerr << "fold: " << folded.error().message << "\n"; return false; }
  double fold_s = seconds_since(start);
  start = steady::now();
  std::string bytes = app::encode_state(state);
  double encode_s = seconds_since(start);
  auto head = log.value()->head();
  if (!head.ok()) { std::cerr << "head: " << head.error().message << "\n"; return false; }
  std::string path = database + ".bench-snapshot";
  start = steady::now();
  if (auto w = app::write_snapshot_file(path, bytes, state.seq(), head.value().hash); !w.ok()) {
    std::cerr << w.error().message << "\n";
    return false;
  }
  double write_s = seconds_since(start);
  start = steady::now();
  auto snapshot = app::read_snapshot_file(path);
  if (!snapshot.ok()) { std::cerr << snapshot.error().message << "\n"; return false; }
  auto tail = app::fold_log(snapshot.value().state, *log.value());
  double read_s = seconds_since(start);
  std::error_code ec;
  fs::remove(path, ec);
  if (!tail.ok() || tail.value() != 0 || app::encode_state(snapshot.value().state) != bytes) {
    std::cerr << "subsidy-bench-replay: the snapshot did not give the folded state back\n";
    return false;
  }
  const double n = static_cast<double>(std::max<std::uint64_t>(folded.value(), 1));
  std::printf("start-up without a snapshot: fold %llu records in %.3f s (%.0f records/s)\n",
              static_cast<unsigned long long>(folded.value()), fold_s, n / fold_s);
  std::printf("snapshot: encode %.3f s (the decide thread's pause), %.1f MiB (%.0f bytes/record), write + fsync %.3f s\n",
              encode_s, static_cast<double>(bytes.size()) / (1024.0 * 1024.0), static_cast<double>(bytes.size()) / n,
              write_s);
  std::printf("start-up with it: read + check + decode + fold the tail %.3f s (P4 target < 3 s)\n", read_s);
  return true;
}

int main(int argc, char** argv) {
  std::uint64_t decisions = 0, seed = 0;
  std::size_t batch = 0;
  std::string database, rules;
  po::options_description options(
      "Usage: subsidy-bench-replay [--decisions N] [--database FILE] [--rules PATH] [--seed S] [--smoke]\n\n"
      "Times the auditor's replay (subsidy-audit replay --database) over a SQLite log of N decisions,\n"
      "built first from seeded claims decided by the engine (or reused: --database naming an existing\n"
      "file). Target (quality.md P3): >= 250,000 records/s on one core.\n\nOptions");
  options.add_options()("help,h", "show this help")
      ("decisions,n", po::value<std::uint64_t>(&decisions)->default_value(1000000), "decisions in a log built here")
      ("database", po::value<std::string>(&database), "the SQLite file: reused if it exists, else built and kept")
      ("rules", po::value<std::string>(&rules)->default_value("rules"), "ruleset file or directory")
      ("seed", po::value<std::uint64_t>(&seed)->default_value(20191021), "seed of the claim generator")
      ("batch", po::value<std::size_t>(&batch)->default_value(2000), "records per append transaction")
      ("smoke", "CI: 3,000 decisions in a temporary file")
      ("read-only", "also time LogStore::read() alone over the whole log, before the replay")
      ("start-up", "also time the server's start on the log: a fold from seq 1, and a snapshot written and read");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-bench-replay: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) { std::cout << options << "\n"; return 0; }
  if (vm.count("smoke")) decisions = 3000;
  app::keep_freed_memory();  // as subsidy-audit replay does
  if (batch == 0 || batch > rf::batch_records_max) { std::cerr << "subsidy-bench-replay: --batch out of range\n"; return 2; }

  auto loaded = app::load_rulesets({rules});
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) {
    for (const auto& e : *errors) std::cerr << e << "\n";
    return 2;
  }
  const RulesetSet& rulesets = std::get<RulesetSet>(loaded);
  auto parsed_catalogue = parse_catalogue_file(json::parse(catalogue_text));
  if (!std::holds_alternative<MemoryCatalogue>(parsed_catalogue)) { std::cerr << "bad catalogue\n"; return 2; }
  const MemoryCatalogue& catalogue = std::get<MemoryCatalogue>(parsed_catalogue);

  bool temporary = database.empty();
  if (temporary) {
    database = (fs::temp_directory_path() / ("subsidy-bench-replay-" + std::to_string(getpid()) + ".db")).string();
  }
  std::string url = "sqlite://" + database;
  std::error_code ec;
  bool reuse = fs::exists(database, ec);
  std::printf("subsidy-bench-replay: log %s (%s)\n", database.c_str(), reuse ? "reused" : "built now");
  if (!reuse) {
    auto log = store::LogStore::open(url);
    if (!log.ok()) { std::cerr << "subsidy-bench-replay: " << log.error().message << "\n"; return 2; }
    Built built;
    auto start = steady::now();
    if (!build_log(*log.value(), rulesets, catalogue, decisions, seed, batch, built)) return 1;
    double s = seconds_since(start);
    std::printf("built %llu decisions in %.1f s (%.0f decisions/s; not part of the replay figure), seed %llu\n",
                static_cast<unsigned long long>(built.decisions), s, static_cast<double>(built.decisions) / s,
                static_cast<unsigned long long>(seed));
    std::printf("mix:");
    for (const auto& [k, n] : built.kinds) std::printf(" %s=%llu", k.c_str(), static_cast<unsigned long long>(n));
    std::printf("\n");
  }
  std::printf("database size: %.1f MiB\n", static_cast<double>(fs::file_size(database, ec)) / (1024.0 * 1024.0));

  int exit_code = 0;
  if (vm.count("read-only")) {
    // Only LogStore::read() page after page: SQLite, SOCI and the store's chain check.
    auto log = store::LogStore::open(url);
    if (!log.ok()) { std::cerr << "subsidy-bench-replay: " << log.error().message << "\n"; return 2; }
    auto start = steady::now();
    std::uint64_t from = 1, n = 0;
    for (;;) {
      auto page = log.value()->read(from, rf::read_records_max);
      if (!page.ok()) { std::cerr << "read: " << page.error().message << "\n"; return 1; }
      if (page.value().empty()) break;
      n += page.value().size();
      from = page.value().back().seq + 1;
    }
    double s = seconds_since(start);
    std::printf("read only: %llu records in %.3f s: %.0f records/s, %.0f ns/record\n", static_cast<unsigned long long>(n), s,
                static_cast<double>(n) / s, 1e9 * s / static_cast<double>(std::max<std::uint64_t>(n, 1)));
  }
  if (vm.count("start-up") && !time_start_up(url, database)) return 1;
  {
    auto log = store::LogStore::open(url);
    if (!log.ok()) { std::cerr << "subsidy-bench-replay: " << log.error().message << "\n"; return 2; }
    auto heads = store::Heads::open(url);
    if (!heads.ok()) { std::cerr << "subsidy-bench-replay: " << heads.error().message << "\n"; return 2; }
    app::ReplayTimings timings;
    app::ReplayOptions opt;
    // No catalogue given: the replay rebuilds it from the log's catalogue records.
    opt.timings = &timings;
    auto start = steady::now();
    double cpu_start = cpu_seconds();
    app::ReplayReport report = app::replay(*log.value(), heads.value().get(), opt);
    double s = seconds_since(start);
    double cpu = cpu_seconds() - cpu_start;
    std::printf("replay: %llu records, %llu decisions re-evaluated in %.3f s: %.0f records/s, %.0f decisions/s, %.0f ns/record\n",
                static_cast<unsigned long long>(report.records), static_cast<unsigned long long>(report.decisions), s,
                static_cast<double>(report.records) / s, static_cast<double>(report.decisions) / s,
                1e9 * s / static_cast<double>(std::max<std::uint64_t>(report.records, 1)));
    std::printf("replay CPU time %.3f s (%.0f%% of the wall clock): %.0f records per CPU-second\n", cpu, 100 * cpu / s,
                static_cast<double>(report.records) / cpu);
    print_split(timings, s);
    std::printf("target P3: 250,000 records/s -> %s (%.2f of target)\n",
                static_cast<double>(report.records) / s >= 250000 ? "reached" : "not reached",
                static_cast<double>(report.records) / s / 250000);
    if (!report.clean()) {
      std::printf("NOT CLEAN: %zu findings, first at seq %llu %s: %s\n", report.findings.size(),
                  static_cast<unsigned long long>(report.findings.front().seq), report.findings.front().field.c_str(),
                  report.findings.front().message.c_str());
      exit_code = 1;
    } else {
      std::printf("clean: last seq %llu, hash %s\n", static_cast<unsigned long long>(report.last_seq), report.last_hash.c_str());
    }
  }
  if (temporary) {
    fs::remove(database, ec);
    fs::remove(database + "-wal", ec);
    fs::remove(database + "-shm", ec);
  }
  return exit_code;
}
