#include "engine/memory_registry.h"

#include <algorithm>
#include <utility>

namespace subsidy {

void MemoryRegistry::replace(RegisteredPerson person, Seq seq) {
  std::uint64_t key = resident_id_key(person.id_number);
  entries_.insert_or_assign(key, RegistryEntry{std::move(person), seq});
}

void MemoryRegistry::note_import_part(const std::string& sha256, Seq seq, std::size_t part, std::size_t rows,
                                      std::size_t persons) {
  auto it = imports_.find(sha256);
  if (it == imports_.end()) {
    if (part != 1) return;
    imports_.emplace(sha256, RegistryImportEntry{seq, seq, rows, persons});
  } else if (part > 1 && it->second.last_seq + 1 == seq) {
    it->second.last_seq = seq;
  } else {
    return;
  }
  last_import_seq_ = std::max(last_import_seq_, seq);
}

void MemoryRegistry::restore_import(std::string sha256, RegistryImportEntry entry) {
  last_import_seq_ = std::max(last_import_seq_, entry.last_seq);
  imports_.insert_or_assign(std::move(sha256), entry);
}

const RegistryImportEntry* MemoryRegistry::import_of(std::string_view sha256) const {
  auto it = imports_.find(sha256);
  return it == imports_.end() ? nullptr : &it->second;
}

const RegistryEntry* MemoryRegistry::find(std::string_view id_number) const {
  bool digits = id_number.size() == 18 &&
                std::all_of(id_number.begin(), id_number.begin() + 17, [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return nullptr;
  auto it = entries_.find(resident_id_key(id_number));
  // The key leaves the check character out: the entry is the person only if it matches too.
  return it == entries_.end() || it->second.person.id_number != id_number ? nullptr : &it->second;
}

}  // namespace subsidy
