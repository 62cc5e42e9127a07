#include "engine/memory_catalogue.h"

namespace subsidy {
namespace {

// The newest version in force on `on`, or the newest version at all when `on` is absent.
template <class Entry>
const Entry* pick(const std::vector<Entry>& versions, const std::optional<Date>& on) {
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    if (!on || it->in_force(*on)) return &*it;
  }
  return nullptr;
}

template <class Map>
const typename Map::mapped_type::value_type* find(const Map& map, std::string_view key, const std::optional<Date>& on) {
  auto it = map.find(key);
  return it == map.end() ? nullptr : pick(it->second, on);
}

}  // namespace

const ProjectEntry* MemoryCatalogue::any_project(std::string_view code) const { return find(projects_, code, std::nullopt); }
const ProjectEntry* MemoryCatalogue::project(std::string_view code, Date on) const { return find(projects_, code, on); }
const InstitutionEntry* MemoryCatalogue::any_institution(std::string_view credit_code) const {
  return find(institutions_, credit_code, std::nullopt);
}
const InstitutionEntry* MemoryCatalogue::institution(std::string_view credit_code, Date on) const {
  return find(institutions_, credit_code, on);
}

void MemoryCatalogue::replace_project(ProjectEntry entry) {
  auto& versions = projects_[entry.code];
  versions.clear();
  versions.push_back(std::move(entry));
}

void MemoryCatalogue::replace_institution(InstitutionEntry entry) {
  auto& versions = institutions_[entry.credit_code];
  versions.clear();
  versions.push_back(std::move(entry));
}

std::vector<InstitutionEntry> MemoryCatalogue::institutions() const {
  std::vector<InstitutionEntry> out;
  for (const auto& [key, versions] : institutions_) out.push_back(versions.back());
  return out;
}

std::vector<ProjectEntry> MemoryCatalogue::projects() const {
  std::vector<ProjectEntry> out;
  for (const auto& [key, versions] : projects_) out.push_back(versions.back());
  return out;
}

std::vector<std::tuple<Program, int, Fen>> MemoryCatalogue::budgets() const {
  std::vector<std::tuple<Program, int, Fen>> out;
  for (const auto& [key, amount] : budgets_) out.emplace_back(key.first, key.second, amount);
  return out;
}

std::optional<Fen> MemoryCatalogue::budget(Program program, int year) const {
  auto it = budgets_.find({program, year});
  if (it == budgets_.end()) return std::nullopt;
  return it->second;
}

}  // namespace subsidy
