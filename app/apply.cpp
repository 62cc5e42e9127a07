#include "app/apply.h"

#include "engine/decision_effects.h"
#include "store/catalogue_records.h"
#include "store/record_format.h"
#include "store/class_filing_records.h"
#include "store/registry_records.h"

#include <algorithm>
#include <string>

namespace subsidy::app {
namespace rf = store::record_format;

// The friend of State through which apply() changes it.
class StateWriter {
 public:
  static MemoryHistory& history(State& s) { return s.history_; }
  static MemoryCatalogue& catalogue(State& s) { return s.catalogue_; }
  static MemoryRegistry& registry(State& s) { return s.systems_.registry(); }
  static MemorySystems& systems(State& s) { return s.systems_; }
  static void advance(State& s, Seq seq) { s.seq_ = seq; }
};

namespace {

// Not a record type of the log (record_format.h): the type of skipped_record().
constexpr std::string_view skipped_type = "(skipped)";

store::StoreError corrupt(Seq seq, std::string message) {
  return store::store_error(store::StoreCode::corruption, "record " + std::to_string(seq) + ": " + std::move(message), seq);
}

store::Status check_decision(const State& state, const AppliedRecord& r) {
  const Decision& d = *r.decision;
  if (d.kind == DecisionKind::initial) {
    if (r.claim == nullptr) return corrupt(r.seq, "an initial decision without its claim");
    if (r.claim->claim_id != d.claim_id) {
      return corrupt(r.seq, "the decision is of claim " + d.claim_id + ", its request of " + r.claim->claim_id);
    }
    if (state.history().has_claim(d.claim_id)) return corrupt(r.seq, "claim " + d.claim_id + " was decided before");
    return {};
  }
  if (state.history().claim(d.claim_id) == nullptr) {
    return corrupt(r.seq, "a " + std::string(decision_kind_names[static_cast<std::size_t>(d.kind)]) + " of claim " +
                              d.claim_id + ", which no earlier record keeps");
  }
  return {};
}

}  // namespace

AppliedRecord decision_record(Seq seq, const Claim* claim, const Decision& decision) {
  AppliedRecord r;
  r.seq = seq;
  r.type = rf::type_decision;
  r.claim = claim;
  r.decision = &decision;
  return r;
}

AppliedRecord catalogue_record(Seq seq, std::string_view type, const boost::json::object& record) {
  AppliedRecord r;
  r.seq = seq;
  r.type = type;
  r.record = &record;
  return r;
}

bool applies_body(std::string_view type) {
  return type == rf::type_catalogue || type == rf::type_budget || type == rf::type_registry_import ||
         type == rf::type_class_filing;
}

AppliedRecord inert_record(Seq seq, std::string_view type) {
  AppliedRecord r;
  r.seq = seq;
  r.type = type;
  return r;
}

AppliedRecord skipped_record(Seq seq) {
  AppliedRecord r;
  r.seq = seq;
  r.type = skipped_type;
  return r;
}

store::Status apply(State& state, const AppliedRecord& r) {
  if (r.seq != state.seq() + 1) {
    return corrupt(r.seq, "applied after record " + std::to_string(state.seq()) + ", not after the one before it");
  }
  if (r.type == rf::type_decision) {
    if (r.decision == nullptr) return corrupt(r.seq, "a decision record without its decision");
    if (store::Status s = check_decision(state, r); !s.ok()) return s;
    MemoryHistory& history = StateWriter::history(state);
    // A review or settlement is recorded against the claim as the state keeps it; the kept claim
    // stays in place while its lines change (a node of a hash map).
    const Claim& claim = r.decision->kind == DecisionKind::initial ? *r.claim : history.claim(r.decision->claim_id)->claim;
    history.record(claim, *r.decision, r.seq);
  } else if (r.type == rf::type_catalogue || r.type == rf::type_budget) {
    if (r.record == nullptr) return corrupt(r.seq, "a " + std::string(r.type) + " record without its body");
    // apply_record() reads the whole record before it changes the catalogue.
    if (store::Status s = store::apply_record(*r.record, StateWriter::catalogue(state)); !s.ok()) {
      return corrupt(r.seq, s.error().message);
    }
  } else if (r.type == rf::type_registry_import) {
    if (r.record == nullptr) return corrupt(r.seq, "a registry_import record without its body");
    // apply_registry_import() reads every person before it changes the registry.
    if (store::Status s = store::apply_registry_import(*r.record, StateWriter::registry(state), r.seq); !s.ok()) {
      return corrupt(r.seq, s.error().message);
    }
  } else if (r.type == rf::type_class_filing) {
    if (r.record == nullptr) return corrupt(r.seq, "a class_filing record without its body");
    if (store::Status s = store::apply_class_filing(*r.record, StateWriter::systems(state), r.seq); !s.ok()) {
      return corrupt(r.seq, s.error().message);
    }
  } else if (r.type != skipped_type && std::find(rf::types.begin(), rf::types.end(), r.type) == rf::types.end()) {
    return corrupt(r.seq, "unknown record type " + std::string(r.type));
  }
  StateWriter::advance(state, r.seq);
  return {};
}

}  // namespace subsidy::app
