#pragma once
// The catalogue as the projection tables hold it now, read on a connection kept for that (the
// API's catalogue and budget reads): no connection is opened and no migration checked per read.

#include "store/status.h"
#include "store/store_catalogue.h"

#include <memory>
#include <string_view>

namespace soci {
class session;
}

namespace subsidy::store {

class CatalogueReader {
 public:
  // Errors: those of parse_connection_url() and open_session(). The tables must exist
  // (LogStore::open creates them).
  static Result<std::unique_ptr<CatalogueReader>> open(std::string_view url);
  ~CatalogueReader();
  CatalogueReader(const CatalogueReader&) = delete;
  CatalogueReader& operator=(const CatalogueReader&) = delete;

  // Errors: as StoreCatalogue::load_from().
  Result<std::unique_ptr<StoreCatalogue>> load();

 private:
  explicit CatalogueReader(std::unique_ptr<soci::session> sql);
  std::unique_ptr<soci::session> sql_;
};

}  // namespace subsidy::store
