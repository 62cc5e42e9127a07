#pragma once
// Catalogue and budget log records (RECORD_FORMAT.md, "A catalogue record", "A budget record"):
// how an admin's PUT becomes a record, and how a record, read back from the log, changes a
// catalogue. Replay and StoreCatalogue both apply records with apply_record(), so that the
// catalogue a replay rebuilds is the one the server used.

#include "engine/catalogue.h"
#include "engine/memory_catalogue.h"
#include "engine/money.h"
#include "engine/vocabulary.h"
#include "store/record.h"
#include "store/record_format.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace subsidy::store {

// Record types (record_format.h).
inline constexpr std::string_view type_catalogue = record_format::type_catalogue;
inline constexpr std::string_view type_budget = record_format::type_budget;

// A "put" of an institution or project entry (the api.md PUT body under "entry").
NewRecord institution_record(const InstitutionEntry& entry, std::string_view token_id, std::string decided_at);
NewRecord project_record(const ProjectEntry& entry, std::string_view token_id, std::string decided_at);
// The year's budget of a program.
NewRecord budget_record(Program program, int year, Fen amount, std::string_view token_id, std::string decided_at);

// Checks a catalogue or budget record body (what append() refuses). Errors (invalid_argument,
// naming the field, and seq): a missing or malformed member. Other types: ok.
Status check_record_body(std::string_view type, const boost::json::object& body, std::uint64_t seq = 0);

// The key and kind a catalogue record puts ("institution" or "project"), and the entry as its
// canonical JSON text (what the catalogue_entries table keeps). REQUIRES: check_record_body()
// accepted the body.
struct CatalogueRow {
  std::string kind, key, entry;
};
CatalogueRow catalogue_row(const boost::json::object& body);

// Applies one record, as read from the log (type member included), to catalogue: a catalogue put
// REPLACES the entry of its key from then on; a budget sets the year's budget. Other record types
// are ignored. Errors (invalid_argument, naming the field): a malformed catalogue or budget body.
Status apply_record(const boost::json::object& record, MemoryCatalogue& catalogue);

}  // namespace subsidy::store
