#pragma once
// Reading a person-registry import (registry.md §1): the real-name system's export, as CSV or JSON
// Lines, fed in pieces as it arrives. Complete lines are checked and merged as they come and only
// the unfinished tail is kept, so memory grows with the persons, not with the file (an import may
// have a million rows). All or nothing: every bad row is reported by pointer
// ("/rows/<line>/<column>", lines of the file counted from 1) and then no person is returned.
// Pure: no I/O, no clock.

#include "engine/problem.h"
#include "engine/registry.h"

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

enum class RegistryFormat : std::uint8_t { csv, json_lines };

inline constexpr std::size_t registry_import_rows_max = 1'000'000;
// Listed; beyond, one last problem says how many more rows were bad.
inline constexpr std::size_t registry_import_problems_max = 10'000;
// A CSV record or a JSON line longer than this is a bad row and is not kept: an unclosed quote or
// a file without line breaks must not make the reader hold the whole file. A real row is well
// under 1 KiB (CSV) or a few KiB (a JSON person with many certifications).
inline constexpr std::size_t registry_import_row_bytes_max = 64 * 1024;

struct RegistryImport {
  // Sorted by id_number; each person's certifications sorted (category, valid_from, valid_to with
  // open-ended last, certificate), exact duplicates merged. Empty unless the import is good.
  std::vector<RegisteredPerson> persons;
  std::size_t rows = 0;  // data rows read (CSV: records after the header; JSON Lines: non-blank lines)
  Problems problems;     // empty iff the import is good
  bool too_many_rows = false;  // more than rows_max rows: parsing stopped there (the caller answers 413)
};

// One person as a JSON object of the JSON Lines format (also how a registry_import record carries
// each person, store/registry_records.h), every bad member reported under pointer. The person is
// returned whenever its id_number and name are valid, with the certifications that are; problems
// tell whether anything was wrong.
std::optional<RegisteredPerson> registry_person_from_json(const boost::json::value& value, const std::string& pointer,
                                                          Problems& problems);

class RegistryImportReader {
 public:
  // rows_max is registry.md's limit; a test may lower it.
  explicit RegistryImportReader(RegistryFormat format,
                                std::size_t rows_max = registry_import_rows_max);
  ~RegistryImportReader();
  RegistryImportReader(RegistryImportReader&&) noexcept;
  RegistryImportReader& operator=(RegistryImportReader&&) noexcept;

  // The next bytes of the file, split anywhere (mid-line, mid-UTF-8 sequence, mid-quoted field).
  void feed(std::string_view bytes);
  // Whether the file has had more than rows_max rows so far: the rest need not be read (413).
  bool too_many_rows() const;
  // The end of the file. Call once; the reader is spent afterwards.
  RegistryImport finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace subsidy
