#pragma once
// registry_import log records (registry.md, RECORD_FORMAT.md "A registry import record"): how
// an import of the real-name system's export becomes records, and how a record, read back from
// the log, changes the registry. The server and replay apply records with the same function, so
// the registry a replay rebuilds is the one each decision saw.
//
// A record is at most record_bytes_max (4 MiB) and an import may name a million persons
// (≈ 250 MB as JSON), so one import is logged as parts: consecutive records of one batch (one
// transaction, so no decision falls between them), each with the import's facts and its own
// persons. An import that names nobody is one part without persons.

#include "engine/memory_registry.h"
#include "engine/registry.h"
#include "engine/registry_import.h"
#include "store/record.h"
#include "store/record_format.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::store {

inline constexpr std::string_view type_registry_import = record_format::type_registry_import;
// The persons of one part, as JSON text, stay under this (a part then stays well under
// record_bytes_max with its other members, however many certifications a person has).
inline constexpr std::size_t registry_part_persons_bytes_max = 1024 * 1024;

// "csv" or "json_lines", as the record names the import's format.
std::string_view registry_format_name(RegistryFormat format);

// What an import was, as every part of it says.
struct RegistryImportFacts {
  std::string sha256;  // hex SHA-256 of the file's bytes: the same file twice is one import
  RegistryFormat format = RegistryFormat::csv;
  std::size_t rows = 0;     // data rows of the file
  std::size_t persons = 0;  // persons it names
};

// The records of an import, persons in the order given (RegistryImport's: by id_number), each
// body as canonical text (NewRecord::canonical_body).
// REQUIRES: facts.persons == persons.size(); each person as RegistryImportReader gives them.
std::vector<NewRecord> registry_import_records(const RegistryImportFacts& facts,
                                               const std::vector<RegisteredPerson>& persons,
                                               std::string_view token_id, const std::string& decided_at);

// Checks a registry_import body (what append() refuses). Errors (invalid_argument, naming the
// member, and seq): a missing or malformed member, a person the import format would refuse.
Status check_registry_import_body(const boost::json::object& body, std::uint64_t seq = 0);

// The import's facts, as a part's body says them. REQUIRES: check_registry_import_body() accepted it.
RegistryImportFacts registry_import_facts(const boost::json::object& body);

// Applies one part, as read from the log, to registry: each of its persons replaces what the
// registry held for that id_number, from seq on, and the import is noted under its file's SHA-256. Errors (invalid_argument): a malformed body;
// then registry is unchanged.
Status apply_registry_import(const boost::json::object& record, MemoryRegistry& registry, std::uint64_t seq);

}  // namespace subsidy::store
