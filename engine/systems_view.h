#pragma once
// What the province's systems have told the engine (registry.md): the real-name employment
// system's persons, fed by registry imports, and the classes filed with the training information
// system. The rules of clause 二(三)2 (sys.person_registered, sys.category_verified,
// sys.class_filed) read it. An interface, so that the engine stays pure: the server's
// state and the ledger hold a MemorySystems (memory_systems.h).

#include "engine/class_filing.h"
#include "engine/history.h"
#include "engine/memory_registry.h"

#include <string_view>

namespace subsidy {

class SystemsView {
 public:
  virtual ~SystemsView() = default;
  // What the registry holds for id_number as of this decision, or nullptr when no import has
  // named the person. Valid until the next record is applied.
  virtual const RegistryEntry* registered_person(std::string_view id_number) const = 0;
  // The seq of the last registry import, or 0 before the first: what "not in the registry" is
  // as of, so a rejection can name it in its refs.
  virtual Seq registry_seq() const = 0;
  // The filing of class_id, or nullptr when none is logged.
  virtual const ClassFilingEntry* class_filing(std::string_view class_id) const = 0;
};

}  // namespace subsidy
