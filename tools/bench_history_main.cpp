// subsidy-bench-history: how much a look-up of a person's history costs through StoreHistory
// as the store grows (issue 3: the same with 1,000 and 1,000,000 decisions in the store).
//
// Builds two SQLite logs of work_for_training decision records (N1 and N2 decisions; N/4 people
// with four claims of three months each: two approved, then the six-month cap, so that every
// person's history is the same size in both logs), appended directly in batches of 1,000 — valid
// records for LogStore::append, not decided by the evaluator — then looks up people's
// histories, cold (discard_cache() first: read from SQLite) and warm (from StoreHistory's cache),
// among two populations: the same number of people in both logs (only the store's size differs)
// and every person of each log (the working set grows too). Prints mean, p50, p99 and ratios.
#include "store/log_store.h"
#include "store/store_history.h"
#include "tools/common/resident_ids.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <random>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace subsidy;
using namespace subsidy::store;
using subsidy::tools::resident_id;

namespace {

constexpr std::size_t batch_size = 1000;
constexpr std::int64_t month_fen = 20000;
const char* const ruleset_text = R"({"id":"hubin-bench","version":"1.0.0","rules":[]})";
const char* const entities[] = {"91411202MA44A0001W", "91411202MA44B0002P"};

// Every person of a log has four claims (two approved, two over the cap: six approved months),
// whatever its size, so that only the size of the store differs between the logs.
struct Shape {
  std::uint64_t people = 250'000;
  static Shape of(std::uint64_t decisions) { return Shape{std::max<std::uint64_t>(1, decisions / 4)}; }
};

// Decision i: person i % people, round i / people (three months of 2020 each; rounds 0 and 1
// approved, later ones rejected by the six-month cap).
NewRecord wft_record(std::uint64_t i, const Shape& shape, const std::string& ruleset_sha) {
  std::uint64_t person = i % shape.people;
  std::uint64_t round = i / shape.people;
  std::string claim_id = "HB-BENCH-" + std::to_string(person) + "-" + std::to_string(round);
  bool approved = round < 2;
  json::array months, lines;
  for (int m = 1; m <= 3; ++m) {
    char month[32];  // room for any two ints: -Wformat-truncation
    std::snprintf(month, sizeof month, "%04d-%02d", 2020 + static_cast<int>(round / 4), static_cast<int>(round % 4) * 3 + m);
    months.emplace_back(month);
    lines.push_back(json::object{{"subject", month},
                                 {"requested_fen", month_fen},
                                 {"approved_fen", approved ? month_fen : 0},
                                 {"status", approved ? "approved" : "rejected"},
                                 {"rules", approved ? json::array{"wft.rate"} : json::array{"wft.cap_months"}}});
  }
  std::int64_t total = approved ? 3 * month_fen : 0;
  json::object request{
      {"claim_id", claim_id},
      {"program", "work_for_training"},
      {"submitted_on", "2020-10-15"},
      {"entity", {{"credit_code", entities[person % 2]}, {"name", "湖滨区甲食品有限公司"}, {"type", "enterprise"}, {"insured", true}}},
      {"person", {{"id_number", resident_id(person)}, {"name", "员工" + std::to_string(person)}, {"categories", json::array{"poor_laborer"}}}},
      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
      {"months", std::move(months)},
      {"evidence", json::array{json::object{{"kind", "roster"}, {"ref", "R-1"}}, json::object{{"kind", "labour_contract"}, {"ref", "LC-1"}},
                               json::object{{"kind", "wage_records"}, {"ref", "WG-1"}}}}};
  json::object decision{{"claim_id", claim_id},
                        {"program", "work_for_training"},
                        {"kind", "initial"},
                        {"outcome", approved ? "approved" : "rejected"},
                        {"requested_fen", 3 * month_fen},
                        {"approved_fen", total},
                        {"disbursements", approved ? json::array{json::object{{"kind", "payment"}, {"amount_fen", total}}} : json::array{}},
                        {"lines", std::move(lines)},
                        {"ruleset", {{"id", "hubin-bench"}, {"version", "1.0.0"}}}};
  json::object body{{"decided_at", "2020-10-16T02:00:00Z"},
                    {"claim_id", claim_id},
                    {"request", std::move(request)},
                    {"decision", std::move(decision)},
                    {"rulesets", json::array{json::object{{"id", "hubin-bench"}, {"version", "1.0.0"}, {"sha256", ruleset_sha}}}}};
  return NewRecord{"decision", std::move(body)};
}

[[noreturn]] void fail(const std::string& what, const StoreError& e) {
  std::cerr << "subsidy-bench-history: " << what << ": " << e.message << "\n";
  std::exit(1);
}

// A log of exactly `decisions` records at path, built unless it is there already.
void build_log(const fs::path& path, std::uint64_t decisions, const Shape& shape) {
  auto store = LogStore::open("sqlite://" + path.string());
  if (!store.ok()) fail("opening " + path.string(), store.error());
  auto head = store.value()->head();
  if (!head.ok()) fail("reading the head", head.error());
  if (head.value().seq == decisions) {
    std::cout << "reusing " << path.string() << " (" << decisions << " decisions)\n";
    return;
  }
  if (head.value().seq != 0) {
    std::cerr << "subsidy-bench-history: " << path << " holds " << head.value().seq << " records, not " << decisions << "\n";
    std::exit(1);
  }
  auto sha = store.value()->put_ruleset("hubin-bench", "1.0.0", ruleset_text);
  if (!sha.ok()) fail("storing the ruleset", sha.error());
  auto start = std::chrono::steady_clock::now();
  std::vector<NewRecord> batch;
  for (std::uint64_t i = 0; i < decisions;) {
    batch.clear();
    for (std::size_t k = 0; k < batch_size && i < decisions; ++k, ++i) batch.push_back(wft_record(i, shape, sha.value()));
    auto appended = store.value()->append(batch);
    if (!appended.ok()) fail("appending", appended.error());
    if (i % 100'000 == 0) std::cout << "  " << i << " decisions appended\n" << std::flush;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("built %s: %llu decisions in %.1f s (%.0f decisions/s)\n", path.c_str(),
              static_cast<unsigned long long>(decisions), s, static_cast<double>(decisions) / s);
}

struct Figures {
  double mean_us = 0, p50_us = 0, p99_us = 0;
  std::size_t with_history = 0;
};

// Look-ups of `samples` people drawn at random from `population`. Cold: each after
// discard_cache(), so it reads the people and person_approvals rows from SQLite. Warm: every
// person was looked up once before (the server's case once a person is cached), so it is a
// hash look-up in StoreHistory's cache.
Figures measure(const fs::path& path, const std::vector<std::uint64_t>& population, std::size_t samples, bool cold) {
  auto history = StoreHistory::open("sqlite://" + path.string());
  if (!history.ok()) fail("opening the history", history.error());
  std::mt19937_64 rng(20201016);
  std::uniform_int_distribution<std::size_t> pick(0, population.size() - 1);
  std::size_t warm_up = samples / 10;  // the page cache, the prepared statement
  std::vector<IdNumber> ids;
  for (std::size_t k = 0; k < samples + warm_up; ++k) ids.emplace_back(resident_id(population[pick(rng)]));
  if (!cold) {
    for (const IdNumber& id : ids) history.value()->person(id);
  }
  std::vector<double> us;
  us.reserve(samples);
  Figures f;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    if (cold) history.value()->discard_cache();
    auto t0 = std::chrono::steady_clock::now();
    const PersonHistory* h = history.value()->person(ids[k]);
    auto t1 = std::chrono::steady_clock::now();
    if (k < warm_up) continue;
    if (h == nullptr) {
      std::cerr << "subsidy-bench-history: a generated person has no history\n";
      std::exit(1);
    }
    f.with_history += h->wft_months.size() == 6;
    us.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
  }
  std::sort(us.begin(), us.end());
  double sum = 0;
  for (double u : us) sum += u;
  f.mean_us = sum / static_cast<double>(us.size());
  f.p50_us = us[us.size() / 2];
  f.p99_us = us[std::min(us.size() - 1, us.size() * 99 / 100)];
  return f;
}

// The people of a log (0 .. people-1), or `count` of them spread evenly over it.
std::vector<std::uint64_t> people_of(const Shape& shape, std::uint64_t count) {
  std::vector<std::uint64_t> out;
  std::uint64_t step = std::max<std::uint64_t>(1, shape.people / count);
  for (std::uint64_t p = 0; p < shape.people && out.size() < count; p += step) out.push_back(p);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description opts("Options");
  std::uint64_t small = 1'000, large = 1'000'000;
  std::size_t samples = 10'000;
  std::string prefix;
  opts.add_options()("help,h", "show this help")("small", po::value(&small)->default_value(small), "decisions in the small log")(
      "large", po::value(&large)->default_value(large), "decisions in the large log")(
      "samples", po::value(&samples)->default_value(samples), "look-ups per size and kind")(
      "database", po::value(&prefix), "keep the logs as PREFIX-<N>.db and reuse them when present")(
      "keep", "keep the temporary directory")("smoke", "small sizes, for CI: --small 200 --large 2000 --samples 200");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, opts), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "subsidy-bench-history: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << "Usage: subsidy-bench-history [options]\n\n"
                 "Look-ups of a person's history through StoreHistory over SQLite logs of two sizes: cold (read\n"
                 "from SQLite) and warm (from StoreHistory's cache, the server's case once a person is known), for\n"
                 "the same number of people in both logs and for every person of each log.\n"
                 "Target (issue 3): the same cost with 1,000 and 1,000,000 decisions in the store.\n\n"
              << opts;
    return 0;
  }
  if (vm.count("smoke")) {
    small = 200;
    large = 2000;
    samples = 200;
  }
  if (small == 0 || large == 0 || samples == 0) {
    std::cerr << "subsidy-bench-history: sizes and samples must be positive\n";
    return 2;
  }
  fs::path dir;
  bool temporary = prefix.empty();
  if (temporary) {
    std::string pattern = (fs::temp_directory_path() / "subsidy-bench-history-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "subsidy-bench-history: cannot make a temporary directory\n";
      return 1;
    }
    dir = pattern;
    prefix = (dir / "log").string();
  }
  std::printf("subsidy-bench-history: SQLite, four claims per person, %zu look-ups per size, kind and population\n",
              samples);
  // Two populations: the same number of people in both logs (as many as the small log has), so
  // that only the size of the store differs; and every person of each log, where the larger
  // working set also leaves the CPU's caches.
  const std::uint64_t same_people = Shape::of(small).people;
  struct Row {
    const char* population;
    std::uint64_t decisions;
    bool cold;
    Figures f;
  };
  std::vector<Row> rows;
  for (std::uint64_t n : {small, large}) {
    Shape shape = Shape::of(n);
    fs::path path = prefix + "-" + std::to_string(n) + "-" + std::to_string(shape.people) + "p.db";
    build_log(path, n, shape);
    for (bool all : {false, true}) {
      std::vector<std::uint64_t> population = people_of(shape, all ? shape.people : same_people);
      for (bool is_cold : {true, false}) {
        Figures f = measure(path, population, samples, is_cold);
        rows.push_back({all ? "all" : "same", n, is_cold, f});
        std::printf("%-9llu decisions  %-4s %7zu people  %s look-up: mean %8.2f us  p50 %8.2f us  p99 %8.2f us  (%zu of %zu with 6 months)\n",
                    static_cast<unsigned long long>(n), all ? "all" : "same", population.size(), is_cold ? "cold" : "warm",
                    f.mean_us, f.p50_us, f.p99_us, f.with_history, samples);
      }
    }
  }
  for (const char* population : {"same", "all"}) {
    for (bool is_cold : {true, false}) {
      const Figures* a = nullptr;
      const Figures* b = nullptr;
      for (const Row& r : rows) {
        if (std::string_view(r.population) != population || r.cold != is_cold) continue;
        (r.decisions == small ? a : b) = &r.f;
      }
      std::printf("ratio %llu/%llu, %s people, %s: mean %.2f  p50 %.2f  p99 %.2f\n", static_cast<unsigned long long>(large),
                  static_cast<unsigned long long>(small), population, is_cold ? "cold" : "warm", b->mean_us / a->mean_us,
                  b->p50_us / a->p50_us, b->p99_us / a->p99_us);
    }
  }
  if (temporary && !vm.count("keep")) {
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  } else if (temporary) {
    std::printf("kept %s\n", dir.c_str());
  }
  return 0;
}
