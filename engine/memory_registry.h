#pragma once
// The person registry as the log has fed it (registry.md): for each id_number, the entry of the
// latest import that named the person, and the seq of the record that carried it, so that a
// rule relying on it can name the import in its reason's refs. An import replaces what is held
// for each person it names; persons it does not name are untouched. In memory; no I/O.

#include "engine/history.h"
#include "engine/registry.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace subsidy {

struct RegistryEntry {
  RegisteredPerson person;
  Seq seq = 0;  // the registry_import record that holds this entry
  bool operator==(const RegistryEntry&) const = default;
};

class MemoryRegistry {
 public:
  // From seq on, person is what the registry holds for its id_number.
  void replace(RegisteredPerson person, Seq seq);
  // The person's entry, or nullptr when no import has named them.
  const RegistryEntry* find(std::string_view id_number) const;
  std::size_t size() const { return entries_.size(); }
  // Every entry, ordered by id_number (a snapshot's order: app/state_codec.h).
  const std::map<std::string, RegistryEntry, std::less<>>& entries() const { return entries_; }
  bool operator==(const MemoryRegistry&) const = default;

 private:
  std::map<std::string, RegistryEntry, std::less<>> entries_;
};

}  // namespace subsidy
