#include "engine/memory_registry.h"

#include <utility>

namespace subsidy {

void MemoryRegistry::replace(RegisteredPerson person, Seq seq) {
  std::string id = person.id_number;
  entries_.insert_or_assign(std::move(id), RegistryEntry{std::move(person), seq});
}

const RegistryEntry* MemoryRegistry::find(std::string_view id_number) const {
  auto it = entries_.find(id_number);
  return it == entries_.end() ? nullptr : &it->second;
}

}  // namespace subsidy
