#pragma once
// class_filing log records (registry.md §2, RECORD_FORMAT.md "A class filing record"): a class
// filed with the provincial training information system, as POST /v1/classes took it. The server
// and replay apply a record with the same function, so the filings a replay rebuilds are the ones
// each decision saw.

#include "engine/class_filing.h"
#include "engine/memory_systems.h"
#include "store/record.h"
#include "store/record_format.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace subsidy::store {

inline constexpr std::string_view type_class_filing = record_format::type_class_filing;

// The record of a filing: {decided_at, token_id, filing} with the filing as the API gives it.
NewRecord class_filing_record(const ClassFiling& filing, std::string_view token_id, const std::string& decided_at);

// Checks a class_filing body (what append() refuses). Errors (invalid_argument, naming the first
// bad member of the filing by its JSON Pointer, and seq).
Status check_class_filing_body(const boost::json::object& body, std::uint64_t seq = 0);

// Applies the record, as read from the log: from seq on, the class is filed. Errors
// (invalid_argument): a malformed body, or a class_id filed before; then systems is unchanged.
Status apply_class_filing(const boost::json::object& record, MemorySystems& systems, std::uint64_t seq);

}  // namespace subsidy::store
