#include "store/catalogue_reader.h"

#include "store/connection.h"

#include <soci/soci.h>

namespace subsidy::store {

CatalogueReader::CatalogueReader(std::unique_ptr<soci::session> sql) : sql_(std::move(sql)) {}
CatalogueReader::~CatalogueReader() = default;

Result<std::unique_ptr<CatalogueReader>> CatalogueReader::open(std::string_view url) {
  auto session = open_session(url);
  if (!session.ok()) return session.error();
  return std::unique_ptr<CatalogueReader>(new CatalogueReader(std::move(session.value())));
}

Result<std::unique_ptr<StoreCatalogue>> CatalogueReader::load() { return StoreCatalogue::load_from(*sql_); }

}  // namespace subsidy::store
