#pragma once
// The person registry as the log has fed it (registry.md): for each id_number, the entry of the
// latest import that named the person, and the seq of the record that carried it, so that a
// rule relying on it can name the import in its reason's refs. An import replaces what is held
// for each person it names; persons it does not name are untouched. In memory; no I/O.

#include "engine/history.h"
#include "engine/registry.h"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace subsidy {

struct RegistryEntry {
  RegisteredPerson person;
  Seq seq = 0;  // the registry_import record that holds this entry
  bool operator==(const RegistryEntry&) const = default;
};

// An import as the log holds it, found by its file's SHA-256: the same file again is that import.
struct RegistryImportEntry {
  Seq first_seq = 0;  // its first part
  Seq last_seq = 0;   // its last part: the registry holds all of it from here on
  std::size_t rows = 0;
  std::size_t persons = 0;
  bool operator==(const RegistryImportEntry&) const = default;
};

class MemoryRegistry {
 public:
  // Part `part` (from 1) of the import of file sha256 is record seq. The first part of a file not
  // imported before records the import; a later part that follows it extends it.
  void note_import_part(const std::string& sha256, Seq seq, std::size_t part, std::size_t rows, std::size_t persons);
  // An import as a snapshot holds it (app/state_codec.h).
  void restore_import(std::string sha256, RegistryImportEntry entry);
  // The import of that file, or nullptr.
  const RegistryImportEntry* import_of(std::string_view sha256) const;
  // Every import, by SHA-256 (a snapshot's order).
  const std::map<std::string, RegistryImportEntry, std::less<>>& imports() const { return imports_; }
  // The seq of the last part of the latest import, or 0 before the first.
  Seq last_import_seq() const { return last_import_seq_; }

  // From seq on, person is what the registry holds for its id_number.
  void replace(RegisteredPerson person, Seq seq);
  // The person's entry, or nullptr when no import has named them.
  const RegistryEntry* find(std::string_view id_number) const;
  std::size_t size() const { return entries_.size(); }
  // Every entry by resident_id_key, so ordered by id_number (a snapshot's order: app/state_codec.h).
  const std::map<std::uint64_t, RegistryEntry>& entries() const { return entries_; }
  bool operator==(const MemoryRegistry&) const = default;

 private:
  // Keyed by a word, not the id_number again: a million persons' registry is 60 MiB smaller.
  std::map<std::uint64_t, RegistryEntry> entries_;
  std::map<std::string, RegistryImportEntry, std::less<>> imports_;
  Seq last_import_seq_ = 0;
};

}  // namespace subsidy
