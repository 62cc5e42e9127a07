#include "bench/claim_mix.h"

#include "bench/resident_ids.h"

#include <boost/json/serialize.hpp>

#include <cstdio>
#include <initializer_list>

namespace subsidy::tools {

namespace json = boost::json;

const char* const claim_mix_text =
    "per 20 requests: 15 work_for_training (new people, 1-3 months), 2 work_for_training repeats "
    "(a month already paid; past the 6-month cap), 1 pre_job_training (new person), 1 pre_job_training "
    "excluded by earlier 以工代训, 1 project_training class of 4 trainees; every claim_id unique";

namespace {

// Request n belongs to block n / 20; per block: 15 work_for_training claims of new people (1 to 3
// months of 2020), 2 more of two of those people (one naming a month already paid, one going past
// the six-month cap), 2 pre_job_training claims (a new person, and one of the block's 以工代训
// people at the same employer: excluded), 1 project_training class of 4 new trainees.
constexpr std::uint64_t block_size = 20, people_per_block = 16, trainees_per_class = 4;
constexpr std::uint64_t trainee_base = 400'000'000;  // trainees' ids apart from the workers'
const char* const employers[] = {"91411202MA44A0001W", "91411202MA44B0002P"};

std::string month(int m) {
  char out[32];  // room for any int: -Wformat-truncation
  std::snprintf(out, sizeof out, "2020-%02d", m);
  return out;
}

json::object worker(std::uint64_t person, const char* category) {
  return json::object{{"id_number", resident_id(person)},
                      {"name", "员工" + std::to_string(person)},
                      {"categories", json::array{category}}};
}

json::object employer(std::uint64_t person) {
  return json::object{{"credit_code", employers[person % 2]}, {"name", "湖滨区甲食品有限公司"}, {"type", "enterprise"}, {"insured", true}};
}

json::array evidence(std::initializer_list<const char*> kinds) {
  json::array out;
  for (const char* k : kinds) out.push_back(json::object{{"kind", k}, {"ref", "REF-1"}});
  return out;
}

json::object work_for_training(const std::string& id, std::uint64_t person, int first, int last) {
  json::array months;
  for (int m = first; m <= last; ++m) months.emplace_back(month(m));
  return json::object{{"claim_id", id},
                      {"program", "work_for_training"},
                      {"submitted_on", "2020-10-15"},
                      {"entity", employer(person)},
                      {"person", worker(person, "poor_laborer")},
                      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
                      {"months", std::move(months)},
                      {"evidence", evidence({"roster", "labour_contract", "wage_records"})}};
}

json::object pre_job_training(const std::string& id, std::uint64_t person) {
  return json::object{{"claim_id", id},
                      {"program", "pre_job_training"},
                      {"submitted_on", "2020-10-20"},
                      {"entity", employer(person)},
                      {"person", worker(person, "poor_laborer")},
                      {"employment", {{"start", "2019-10-08"}, {"end", nullptr}}},
                      {"project", {{"code", "HB-PJ-WELD-01"}}},
                      {"training", {{"start", "2019-10-10"}, {"end", "2019-10-25"}}},
                      {"evidence", evidence({"roster", "labour_contract", "training_record"})}};
}

json::object project_training(const std::string& id, std::uint64_t block) {
  json::array trainees;
  for (std::uint64_t t = 0; t < trainees_per_class; ++t) {
    trainees.push_back(worker(trainee_base + block * trainees_per_class + t, "rural_migrant"));
  }
  return json::object{{"claim_id", id},
                      {"program", "project_training"},
                      {"submitted_on", "2020-04-30"},
                      {"entity", {{"credit_code", "52411202MA44D0004E"}, {"name", "湖滨区职业技能培训学校"}, {"type", "training_institution"}}},
                      {"project", {{"code", "HB-PJ-CARE-01"}, {"start", "2020-05-06"}, {"end", "2020-06-05"}}},
                      {"trainees", std::move(trainees)},
                      {"evidence", evidence({"class_plan", "roster"})}};
}

}  // namespace

// The claim of request n; claim_id prefix-n.
json::object mixed_claim(std::uint64_t n, const std::string& prefix) {
  std::uint64_t block = n / block_size, slot = n % block_size;
  std::uint64_t first = block * people_per_block;
  std::string id = prefix + std::to_string(n);
  if (slot < 15) return work_for_training(id, first + slot, 1, 1 + static_cast<int>(slot % 3));
  if (slot == 15) return work_for_training(id, first + 2, 3, 5);  // 2020-03 was paid in slot 2
  if (slot == 16) return work_for_training(id, first + 5, 4, 9);  // 3 months + 6 > the cap
  if (slot == 17) return pre_job_training(id, first + 15);
  if (slot == 18) return pre_job_training(id, first + 1);  // 以工代训 at the same employer
  return project_training(id, block);
}

RequestSource claims_to(std::string target, std::string prefix) {
  return [target = std::move(target), prefix = std::move(prefix)](std::uint64_t n) {
    return LoadRequest{target, json::serialize(mixed_claim(n, prefix))};
  };
}

}  // namespace subsidy::tools
