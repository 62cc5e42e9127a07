#pragma once
// A CatalogueView over the catalogue_entries and budgets tables
// (RECORD_FORMAT.md, "Tables"), loaded into memory (the catalogue is small). The server's own
// catalogue is folded from the log (app/apply.h); this one serves reads outside the pipeline.

#include "engine/catalogue.h"
#include "engine/memory_catalogue.h"
#include "store/record.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string_view>
#include <tuple>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

class StoreCatalogue final : public CatalogueView {
 public:
  // Loads the projection tables: equal to applying every catalogue and budget record of the log,
  // in seq order, with apply_record(). Errors: those of opening a LogStore; corruption (a stored
  // entry that does not parse); database_error.
  static Result<std::unique_ptr<StoreCatalogue>> load(std::string_view url);
  // The same on an open connection whose schema is current (CatalogueReader). Errors: corruption;
  // database_error.
  static Result<std::unique_ptr<StoreCatalogue>> load_from(soci::session& sql);


  const ProjectEntry* any_project(std::string_view code) const override { return current_.any_project(code); }
  const ProjectEntry* project(std::string_view code, Date on) const override { return current_.project(code, on); }
  const InstitutionEntry* any_institution(std::string_view credit_code) const override {
    return current_.any_institution(credit_code);
  }
  const InstitutionEntry* institution(std::string_view credit_code, Date on) const override {
    return current_.institution(credit_code, on);
  }
  std::optional<Fen> budget(Program program, int year) const override { return current_.budget(program, year); }

  // For GET: every current entry, ordered by key; every budget, ordered by program then year.
  std::vector<InstitutionEntry> institutions() const { return current_.institutions(); }
  std::vector<ProjectEntry> projects() const { return current_.projects(); }
  std::vector<std::tuple<Program, int, Fen>> budgets() const { return current_.budgets(); }

 private:
  MemoryCatalogue current_;
};

}  // namespace subsidy::store
