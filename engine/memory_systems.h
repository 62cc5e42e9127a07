#pragma once
// The province's systems as the log has fed them, in memory: the person registry and the class
// filings. The state's
// fold (app/apply.h) and the in-memory ledger feed it; the evaluator reads it as a SystemsView.

#include "engine/memory_registry.h"
#include "engine/systems_view.h"

#include <map>
#include <string>
#include <string_view>

namespace subsidy {

class MemorySystems final : public SystemsView {
 public:
  const RegistryEntry* registered_person(std::string_view id_number) const override { return registry_.find(id_number); }
  Seq registry_seq() const override { return registry_.last_import_seq(); }
  const ClassFilingEntry* class_filing(std::string_view class_id) const override {
    auto it = filings_.find(class_id);
    return it == filings_.end() ? nullptr : &it->second;
  }
  // From seq on, the class is filed as given. REQUIRES: no filing of its class_id yet (a
  // class_id is filed once: the pipeline answers another body under it 409).
  void file_class(ClassFiling filing, Seq seq) {
    std::string id = filing.class_id;
    filings_.insert_or_assign(std::move(id), ClassFilingEntry{std::move(filing), seq});
  }
  // Every filing, ordered by class_id (a snapshot's order).
  const std::map<std::string, ClassFilingEntry, std::less<>>& class_filings() const { return filings_; }

  const MemoryRegistry& registry() const { return registry_; }
  MemoryRegistry& registry() { return registry_; }
  bool operator==(const MemorySystems&) const = default;

 private:
  MemoryRegistry registry_;
  std::map<std::string, ClassFilingEntry, std::less<>> filings_;
};

}  // namespace subsidy
