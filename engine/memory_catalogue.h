#pragma once
// A CatalogueView kept in memory: entries and budgets put by tests, the CLI and the benchmark.
// A later put of the same key adds a version; lookups by date find the version in force.
// A replace (an admin's PUT, api.md) makes the new entry the only version of its key from then on.

#include "engine/catalogue.h"

#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace subsidy {

class MemoryCatalogue final : public CatalogueView {
 public:
  void put_project(ProjectEntry entry) { projects_[entry.code].push_back(std::move(entry)); }
  void put_institution(InstitutionEntry entry) { institutions_[entry.credit_code].push_back(std::move(entry)); }
  void replace_project(ProjectEntry entry);
  void replace_institution(InstitutionEntry entry);
  void set_budget(Program program, int year, Fen amount) { budgets_[{program, year}] = amount; }

  // For listings: the newest version of every key, ordered by key; every budget.
  std::vector<InstitutionEntry> institutions() const;
  std::vector<ProjectEntry> projects() const;
  std::vector<std::tuple<Program, int, Fen>> budgets() const;

  // Every version of every key, for a snapshot (app/state_codec.h): putting them again in this
  // order restores the catalogue; and every budget.
  const std::map<std::string, std::vector<ProjectEntry>, std::less<>>& project_versions() const { return projects_; }
  const std::map<std::string, std::vector<InstitutionEntry>, std::less<>>& institution_versions() const {
    return institutions_;
  }
  const std::map<std::pair<Program, int>, Fen>& budget_amounts() const { return budgets_; }

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
