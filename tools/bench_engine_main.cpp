// subsidy-bench-engine: decides N generated claims in-process (parsed claims, in-memory history,
// one thread) and prints decisions/s and ns/decision. quality.md P2: >= 1,000,000 work-for-training
// decisions/s on one core. The mix: repeat persons that reach the 6-month cap, months already
// paid, route B and uninsured employers, pre-job trainings that exclude 以工代训, project classes.
#include "engine/identity.h"
#include "engine/ledger.h"
#include "engine/memory_catalogue.h"
#include "app/files.h"

#include <boost/program_options.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>

namespace po = boost::program_options;
using namespace subsidy;

namespace {

std::string resident_id(std::uint64_t n) {
  char first17[18];
  std::snprintf(first17, sizeof first17, "411202%08d%03d", 19800101 + static_cast<int>(n % 28), static_cast<int>(n % 1000));
  std::string s(first17, 17);
  // Vary the district digits by n so that ids are distinct beyond 1000 people.
  std::snprintf(first17, sizeof first17, "%06d", 110000 + static_cast<int>(n / 1000 % 800000));
  s.replace(0, 6, first17, 6);
  return s + *resident_id_check_char(s);
}

std::string credit_code(std::uint64_t n, std::string_view prefix) {
  char body[18];
  std::snprintf(body, sizeof body, "%s411202MA%07d", std::string(prefix).c_str(), static_cast<int>(n % 10000000));
  std::string s(body, 17);
  return s + *credit_code_check_char(s);
}

struct Generator {
  std::mt19937_64 rng{20191021};
  std::uint64_t persons = 0;
  std::uint64_t next_claim = 0;

  Evidence ev(EvidenceKind k) { return Evidence{k, "REF-" + std::to_string(static_cast<int>(k)), std::nullopt}; }

  Claim base(Program program) {
    Claim c;
    c.claim_id = "BENCH-" + std::to_string(next_claim++);
    c.program = program;
    c.submitted_on = *parse_date("2021-06-15");
    return c;
  }

  void add_evidence(Claim& c, std::initializer_list<EvidenceKind> kinds) {
    for (auto k : kinds) { c.evidence.push_back(ev(k)); c.evidence_kinds.insert(k); }
  }

  Person person(std::uint64_t n, Category category) {
    Person p{IdNumber(resident_id(n)), "员工" + std::to_string(n), {}};
    p.categories.insert(category);
    return p;
  }

  // A work-for-training claim for one of `persons` people: 1-3 months from a random start, so
  // that people come back, reach the cap and now and then claim a month already paid.
  Claim work_for_training() {
    Claim c = base(Program::work_for_training);
    std::uint64_t who = rng() % persons;
    bool route_b = who % 5 == 0;
    c.person = person(who, route_b ? Category::employment_difficult : Category::poor_laborer);
    c.entity = Entity{CreditCode(credit_code(who % 997, who % 7 == 0 ? "93" : "91")), "湖滨区某公司",
                      who % 7 == 0 ? EntityType::farmer_cooperative : EntityType::enterprise, who % 11 != 0};
    c.employment = Employment{*parse_date("2019-10-08"), std::nullopt};
    int start = static_cast<int>(rng() % 18);
    int count = 1 + static_cast<int>(rng() % 3);
    for (int i = 0; i < count; ++i) c.months.push_back(Month::from_index(Month::from_year_month(2019, 10).index() + start + i));
    add_evidence(c, {EvidenceKind::roster, EvidenceKind::labour_contract, EvidenceKind::wage_records});
    if (route_b) add_evidence(c, {EvidenceKind::social_insurance});
    return c;
  }

  Claim pre_job_training() {
    Claim c = base(Program::pre_job_training);
    std::uint64_t who = rng() % persons;
    c.person = person(who, Category::poor_laborer);
    c.entity = Entity{CreditCode(credit_code(who % 997, "91")), "湖滨区某公司", EntityType::enterprise, true};
    c.employment = Employment{*parse_date("2019-10-08"), std::nullopt};
    c.project = ProjectRef{"PJ-WELD-01", std::nullopt};
    c.training = Period{*parse_date("2019-10-10"), *parse_date("2019-10-20")};
    add_evidence(c, {EvidenceKind::roster, EvidenceKind::labour_contract, EvidenceKind::training_record});
    return c;
  }

  Claim project_training() {
    Claim c = base(Program::project_training);
    c.entity = Entity{CreditCode(credit_code(5, "52")), "湖滨区职业培训学校", EntityType::training_institution, false};
    int month = static_cast<int>(rng() % 20);
    Date start = add_months(*parse_date("2019-10-01"), month);
    c.project = ProjectRef{"PJ-CARE-01", Period{start, start + boost::gregorian::days(20)}};
    int trainees = 10 + static_cast<int>(rng() % 30);
    for (int i = 0; i < trainees; ++i) {
      std::uint64_t who = persons + rng() % persons;
      c.trainees.push_back(person(who, i % 9 == 0 ? Category::college_graduate : Category::rural_migrant));
    }
    std::sort(c.trainees.begin(), c.trainees.end(), [](const Person& a, const Person& b) { return a.id_number < b.id_number; });
    c.trainees.erase(std::unique(c.trainees.begin(), c.trainees.end(), [](const Person& a, const Person& b) { return a.id_number == b.id_number; }), c.trainees.end());
    add_evidence(c, {EvidenceKind::class_plan, EvidenceKind::roster});
    return c;
  }
};

MemoryCatalogue bench_catalogue() {
  MemoryCatalogue cat;
  cat.put_institution({credit_code(5, "52"), "湖滨区职业培训学校", "training", *parse_date("2019-01-01"), std::nullopt});
  cat.put_project({"PJ-WELD-01", "焊工岗前培训", "焊工", Program::pre_job_training, Fen(80000), *parse_date("2019-01-01"), std::nullopt});
  cat.put_project({"PJ-CARE-01", "养老护理员", "养老护理员", Program::project_training, Fen(150000), *parse_date("2019-01-01"), std::nullopt});
  return cat;
}

struct Figures {
  double seconds = 0;
  std::array<std::uint64_t, 4> outcomes{};
  std::uint64_t checksum = 0;
};

Figures run(const std::vector<Claim>& claims, const RulesetSet& rulesets, const CatalogueView& catalogue) {
  Ledger ledger(rulesets, catalogue);
  ledger.history().reserve(claims.size(), claims.size());
  Decision decision;
  Figures f;
  auto start = std::chrono::steady_clock::now();
  for (const Claim& c : claims) {
    Seq seq = 0;
    EvalStatus status = ledger.submit_unrendered(c, decision, seq);
    if (!status.ok()) { std::cerr << "unexpected: " << status.message << "\n"; std::exit(1); }
    f.outcomes[static_cast<std::size_t>(decision.outcome)]++;
    f.checksum = f.checksum * 1099511628211u + static_cast<std::uint64_t>(decision.approved.value());
  }
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return f;
}

void report(const char* label, std::size_t n, const Figures& f) {
  double per_second = static_cast<double>(n) / f.seconds;
  std::printf("%-22s %9zu decisions  %8.3f s  %12.0f decisions/s  %8.0f ns/decision\n", label, n, f.seconds, per_second,
              1e9 * f.seconds / static_cast<double>(n));
  std::printf("%-22s outcomes: approved %llu, partially_approved %llu, rejected %llu, needs_review %llu; checksum %016llx\n", "",
              static_cast<unsigned long long>(f.outcomes[0]), static_cast<unsigned long long>(f.outcomes[1]),
              static_cast<unsigned long long>(f.outcomes[2]), static_cast<unsigned long long>(f.outcomes[3]),
              static_cast<unsigned long long>(f.checksum));
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 0;
  std::string rules;
  po::options_description options("Usage: subsidy-bench-engine [--claims N] [--rules PATH]\n\n"
                                  "Decides N generated claims in-process, one thread, and prints the rate.\n"
                                  "Target (quality.md P2): >= 1,000,000 work-for-training decisions/s.\n\nOptions");
  options.add_options()("help,h", "show this help")
      ("claims,n", po::value<std::size_t>(&n)->default_value(1000000), "claims per run")
      ("rules", po::value<std::string>(&rules)->default_value("rules"), "ruleset file or directory");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, options), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-bench-engine: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) { std::cout << options << "\n"; return 0; }
  auto rulesets = app::load_rulesets({rules});
  if (auto* errors = std::get_if<std::vector<std::string>>(&rulesets)) {
    for (const auto& e : *errors) std::cerr << e << "\n";
    return 2;
  }
  const RulesetSet& set = std::get<RulesetSet>(rulesets);
  MemoryCatalogue catalogue = bench_catalogue();

  Generator wft_gen;
  wft_gen.persons = std::max<std::size_t>(n / 4, 1);  // ~4 claims a person: many reach the cap
  std::vector<Claim> wft;
  wft.reserve(n);
  for (std::size_t i = 0; i < n; ++i) wft.push_back(wft_gen.work_for_training());

  Generator mix_gen;
  mix_gen.persons = std::max<std::size_t>(n / 4, 1);
  std::vector<Claim> mixed;
  mixed.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t r = i % 100;
    mixed.push_back(r < 85 ? mix_gen.work_for_training() : r < 95 ? mix_gen.pre_job_training() : mix_gen.project_training());
  }

  std::printf("subsidy-bench-engine: %zu claims per run, one thread, rules %s\n", n, rules.c_str());
  report("work_for_training", wft.size(), run(wft, set, catalogue));
  report("mixed 85/10/5", mixed.size(), run(mixed, set, catalogue));
  return 0;
}
