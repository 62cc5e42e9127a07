#include "app/log_fold.h"

#include "audit/exact_json.h"
#include "engine/claim_parser.h"
#include "engine/decision_facts.h"
#include "store/record_format.h"

#include <string>
#include <variant>

namespace subsidy::app {
namespace {

namespace json = boost::json;
namespace rf = store::record_format;

store::StoreError corrupt(std::uint64_t seq, std::string message) {
  return store::store_error(store::StoreCode::corruption, "record " + std::to_string(seq) + ": " + std::move(message), seq);
}

std::string first_problem(const EvalStatus& status) {
  if (status.problems.empty()) return status.message;
  const Problem& p = status.problems.front();
  return status.message + " (" + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message + ")";
}

store::Status fold_decision(State& state, const json::object& record, std::uint64_t seq) {
  const json::value* request = record.if_contains(rf::request_field);
  const json::value* decision = record.if_contains(rf::decision_field);
  if (request == nullptr || decision == nullptr || !decision->is_object()) {
    return corrupt(seq, "a decision record without request or decision");
  }
  const json::value* kind = decision->get_object().if_contains("kind");
  const json::value* claim_id = record.if_contains(rf::claim_id_field);
  if (kind == nullptr || !kind->is_string() || claim_id == nullptr || !claim_id->is_string()) {
    return corrupt(seq, "a decision record without claim_id or decision kind");
  }
  Decision facts;
  if (kind->get_string() == "initial") {
    auto parsed = parse_claim(*request);
    if (auto* problems = std::get_if<Problems>(&parsed)) {
      return corrupt(seq, first_problem({EvalCode::invalid_input, "the logged claim is not valid", std::move(*problems)}));
    }
    const Claim& claim = std::get<Claim>(parsed);
    if (EvalStatus s = decision_facts_from_json(decision->get_object(), claim, facts); !s.ok()) {
      return corrupt(seq, first_problem(s));
    }
    return apply(state, decision_record(seq, &claim, facts));
  }
  const ClaimHistory* kept = state.history().claim(std::string_view(claim_id->get_string()));
  if (kept == nullptr) {
    return corrupt(seq, "a " + std::string(kind->get_string()) + " of claim " + std::string(claim_id->get_string()) +
                            ", which no earlier record keeps");
  }
  if (EvalStatus s = decision_facts_from_json(decision->get_object(), kept->claim, facts); !s.ok()) {
    return corrupt(seq, first_problem(s));
  }
  return apply(state, decision_record(seq, nullptr, facts));
}

}  // namespace

store::Status fold_record(State& state, const store::StoredRecord& row) {
  if (row.type != rf::type_decision && !applies_body(row.type)) {
    return apply(state, inert_record(row.seq, row.type));
  }
  audit::Result<json::value> parsed = audit::parse_exact_json(row.canonical);
  if (!parsed.ok() || !parsed.value().is_object()) return corrupt(row.seq, "the record text is not a JSON object");
  const json::object& record = parsed.value().get_object();
  if (row.type == rf::type_decision) return fold_decision(state, record, row.seq);
  return apply(state, catalogue_record(row.seq, row.type, record));
}

store::Result<std::uint64_t> fold_log(State& state, store::LogStore& log) {
  std::uint64_t folded = 0;
  for (;;) {
    auto page = log.read(state.seq() + 1, rf::read_records_max);
    if (!page.ok()) return page.error();
    if (page.value().empty()) return folded;
    for (const store::StoredRecord& row : page.value()) {
      if (store::Status s = fold_record(state, row); !s.ok()) return s.error();
      ++folded;
    }
  }
}

}  // namespace subsidy::app
