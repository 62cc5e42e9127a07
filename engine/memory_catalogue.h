#pragma once
// A CatalogueView kept in memory: entries and budgets put by tests, the CLI and the benchmark.
// A later put of the same key adds a version; lookups by date find the version in force.

#include "engine/catalogue.h"

#include <map>
#include <string>
#include <vector>

namespace subsidy {

class MemoryCatalogue final : public CatalogueView {
 public:
  void put_project(ProjectEntry entry) { projects_[entry.code].push_back(std::move(entry)); }
  void put_institution(InstitutionEntry entry) { institutions_[entry.credit_code].push_back(std::move(entry)); }
  void set_budget(Program program, int year, Fen amount) { budgets_[{program, year}] = amount; }

  const ProjectEntry* any_project(std::string_view code) const override;
  const ProjectEntry* project(std::string_view code, Date on) const override;
  const InstitutionEntry* any_institution(std::string_view credit_code) const override;
  const InstitutionEntry* institution(std::string_view credit_code, Date on) const override;
  std::optional<Fen> budget(Program program, int year) const override;

 private:
  std::map<std::string, std::vector<ProjectEntry>, std::less<>> projects_;
  std::map<std::string, std::vector<InstitutionEntry>, std::less<>> institutions_;
  std::map<std::pair<Program, int>, Fen> budgets_;
};

}  // namespace subsidy
