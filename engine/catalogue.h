#pragma once
// The subsidized-project and institution catalogues (清单管理, 三(二)) and program budgets, as
// the evaluator sees them: what was listed on a given date. An interface; MemoryCatalogue
// (memory_catalogue.h) serves tests and tools, the store implements it for the server.

#include "engine/calendar.h"
#include "engine/money.h"
#include "engine/vocabulary.h"

#include <optional>
#include <string>
#include <string_view>

namespace subsidy {

struct InstitutionEntry {
  std::string credit_code;
  std::string name;
  std::string kind;  // "training" | "evaluation"
  Date valid_from;
  std::optional<Date> valid_to;  // inclusive; null = open-ended
  bool in_force(Date d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

struct ProjectEntry {
  std::string code;
  std::string name;
  std::string occupation;
  Program program = Program::project_training;
  Fen standard;  // per trainee
  Date valid_from;
  std::optional<Date> valid_to;
  bool in_force(Date d) const { return valid_from <= d && (!valid_to || d <= *valid_to); }
};

class CatalogueView {
 public:
  virtual ~CatalogueView() = default;
  // Any entry for this code, in force or not (is it in the system at all?); nullptr if none.
  virtual const ProjectEntry* any_project(std::string_view code) const = 0;
  // The entry in force on `on`; nullptr if none.
  virtual const ProjectEntry* project(std::string_view code, Date on) const = 0;
  virtual const InstitutionEntry* any_institution(std::string_view credit_code) const = 0;
  virtual const InstitutionEntry* institution(std::string_view credit_code, Date on) const = 0;
  // The year's budget for a program, if one was set.
  virtual std::optional<Fen> budget(Program program, int year) const = 0;
};

}  // namespace subsidy
