#include "store/store_catalogue.h"

#include "audit/exact_json.h"
#include "store/catalogue_records.h"
#include "store/connection.h"
#include "store/migrations.h"
#include "store/projection_tables.h"
#include "store/record_format.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

namespace subsidy::store {
namespace rf = record_format;
namespace {

// A projection row as the record it came from, so that loading applies exactly what replay does.
Result<boost::json::object> catalogue_record_of(const CatalogueEntryRow& row) {
  audit::Result<boost::json::value> entry = audit::parse_exact_json(row.entry);
  if (!entry.ok()) return store_error(StoreCode::corruption, "catalogue_entries: an entry that does not parse", row.seq);
  return boost::json::object{{rf::type_field, rf::type_catalogue}, {rf::seq_field, row.seq},
                             {"action", "put"},                    {"kind", row.kind},
                             {"key", row.key},                     {"entry", std::move(entry.value())},
                             {"token_id", ""}};
}

boost::json::object budget_record_of(const BudgetRow& row) {
  return boost::json::object{{rf::type_field, rf::type_budget}, {rf::seq_field, row.seq}, {"program", row.program},
                             {"year", row.year},                {"amount_fen", row.amount_fen}, {"token_id", ""}};
}

}  // namespace

Result<std::unique_ptr<StoreCatalogue>> StoreCatalogue::load(std::string_view url) {
  Result<ConnectionSetting> setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  Result<std::unique_ptr<soci::session>> sql = open_session(setting.value());
  if (!sql.ok()) return sql.error();
  if (Status s = apply_migrations(*sql.value(), setting.value().backend); !s.ok()) return s.error();
  return load_from(*sql.value());
}

Result<std::unique_ptr<StoreCatalogue>> StoreCatalogue::load_from(soci::session& sql) {
  auto catalogue = std::make_unique<StoreCatalogue>();
  Status loaded = guarded("loading the catalogue", [&]() -> Status {
    // One row per key or (program, year): the last put, so the order between rows does not matter.
    for (const CatalogueEntryRow& row : select_catalogue_entries(sql)) {
      Result<boost::json::object> record = catalogue_record_of(row);
      if (!record.ok()) return record.error();
      if (Status s = apply_record(record.value(), catalogue->current_); !s.ok()) {
        return store_error(StoreCode::corruption, "catalogue_entries: " + s.error().message, row.seq);
      }
    }
    for (const BudgetRow& row : select_budgets(sql)) {
      if (Status s = apply_record(budget_record_of(row), catalogue->current_); !s.ok()) {
        return store_error(StoreCode::corruption, "budgets: " + s.error().message, row.seq);
      }
    }
    return {};
  });
  if (!loaded.ok()) return loaded.error();
  return catalogue;
}

}  // namespace subsidy::store
