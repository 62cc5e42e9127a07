#pragma once
// A class filing (开班备案, registry.md §2): what a training institution filed with the province's
// training information system before a subsidized class, as POST /v1/classes takes it. The
// class_filed rule compares a project_training claim with the filing its project.class_id names.

#include "engine/calendar.h"
#include "engine/claim.h"
#include "engine/history.h"

#include <string>
#include <vector>

namespace subsidy {

struct RosterEntry {
  IdNumber id_number;
  std::string name;
  bool operator==(const RosterEntry&) const = default;
};

struct ClassFiling {
  std::string class_id;     // the provincial system's number: "HB-CL-2020-0007"
  CreditCode credit_code;   // the institution that runs the class
  std::string project_code;
  Period period;            // the class's first and last day
  int hours = 0;
  Date filed_on;            // when the provincial system received the filing
  std::vector<RosterEntry> roster;
  bool operator==(const ClassFiling&) const = default;
};

struct ClassFilingEntry {
  ClassFiling filing;
  Seq seq = 0;  // the class_filing record
  bool operator==(const ClassFilingEntry&) const = default;
};

struct ClassFilingLimits {
  static constexpr std::size_t class_id_chars_max = 64;
  static constexpr std::size_t roster_max = 500;  // as a claim's trainees
  static constexpr int hours_max = 10'000;
};

}  // namespace subsidy
