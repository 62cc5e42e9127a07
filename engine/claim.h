#pragma once
// A claim as the engine sees it: already parsed and validated (claim_parser.h), so every field
// here holds a well-formed value. Which optional parts are present depends on the program:
//   work_for_training: person, employment, months
//   pre_job_training:  person, employment, project (code), training
//   project_training:  project (code, start, end), trainees

#include "engine/calendar.h"
#include "engine/money.h"
#include "engine/vocabulary.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

// An 18-character code held inline: resident ID numbers (GB 11643) and unified social credit
// codes (GB 32100) both have exactly 18 characters, and comparing them must not allocate.
class Code18 {
 public:
  static constexpr std::size_t length = 18;
  Code18() { chars_.fill('0'); }
  // REQUIRES: text.size() == 18.
  explicit Code18(std::string_view text);
  std::string_view view() const { return {chars_.data(), chars_.size()}; }
  std::string str() const { return std::string(view()); }
  // Equality is on every look-up of a person or an entity: compare words, not a memcmp call.
  bool operator==(const Code18& o) const {
    std::uint64_t a[2], b[2];
    std::memcpy(a, chars_.data(), 16);
    std::memcpy(b, o.chars_.data(), 16);
    return a[0] == b[0] && a[1] == b[1] && chars_[16] == o.chars_[16] && chars_[17] == o.chars_[17];
  }
  auto operator<=>(const Code18&) const = default;

 private:
  std::array<char, length> chars_;
};

using IdNumber = Code18;    // 居民身份证号码
using CreditCode = Code18;  // 统一社会信用代码

struct Period {
  Date start;
  Date end;  // inclusive; end >= start
  bool operator==(const Period&) const = default;
};

struct Person {
  IdNumber id_number;
  std::string name;
  CategorySet categories;
};

struct Entity {
  CreditCode credit_code;
  std::string name;
  EntityType type = EntityType::enterprise;
  bool insured = false;  // 参保企业; absent in the claim means false
};

struct Employment {
  Date start;
  std::optional<Date> end;  // null while still employed
};

struct Evidence {
  EvidenceKind kind = EvidenceKind::other;
  std::string ref;
  std::optional<std::string> sha256;  // 64 lowercase hex characters when given
};

struct ProjectRef {
  std::string code;
  std::optional<Period> period;  // project_training only: the class dates
  std::string class_id = {};     // project_training only: the filed class (开班备案); "" when none named
};

struct Claim {
  std::string claim_id;
  Program program = Program::work_for_training;
  Date submitted_on;
  Entity entity;
  std::optional<Person> person;
  std::optional<Employment> employment;
  std::vector<Month> months;  // sorted ascending, no duplicates
  std::optional<ProjectRef> project;
  std::optional<Period> training;
  std::vector<Person> trainees;  // in the order given, no duplicate id_number
  std::vector<Evidence> evidence;
  EvidenceKindSet evidence_kinds;  // the kinds present in `evidence`
};

// A settlement request for a project_training claim (POST /v1/claims/{id}/settlement).
struct TraineeResult {
  IdNumber id_number;
  bool passed = false;
};

struct SettlementRequest {
  Date settled_on;
  std::vector<TraineeResult> results;  // no duplicate id_number
  std::vector<Evidence> evidence;
  EvidenceKindSet evidence_kinds;
};

// Bounds on what one claim may carry; the parser rejects anything larger.
struct ClaimLimits {
  static constexpr std::size_t claim_id_chars_max = 64;
  static constexpr std::size_t months_max = 24;
  static constexpr std::size_t trainees_max = 500;
  static constexpr std::size_t evidence_max = 64;
  static constexpr std::size_t name_bytes_max = 300;     // UTF-8 bytes of a name (100 CJK characters)
  static constexpr std::size_t ref_chars_max = 128;       // an evidence reference number
  static constexpr std::size_t project_code_chars_max = 32;
};

}  // namespace subsidy
