#pragma once
// The province's systems as the log has fed them, in memory: the person registry. The state's
// fold (app/apply.h) and the in-memory ledger feed it; the evaluator reads it as a SystemsView.

#include "engine/memory_registry.h"
#include "engine/systems_view.h"

#include <string_view>

namespace subsidy {

class MemorySystems final : public SystemsView {
 public:
  const RegistryEntry* registered_person(std::string_view id_number) const override { return registry_.find(id_number); }
  Seq registry_seq() const override { return registry_.last_import_seq(); }

  const MemoryRegistry& registry() const { return registry_; }
  MemoryRegistry& registry() { return registry_; }
  bool operator==(const MemorySystems& other) const { return registry_ == other.registry_; }

 private:
  MemoryRegistry registry_;
};

}  // namespace subsidy
