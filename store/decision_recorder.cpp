#include "store/decision_recorder.h"

#include "engine/claim_parser.h"
#include "store/record_format.h"
#include "store/decision_record.h"

#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <vector>

namespace subsidy::store {
namespace {

namespace json = boost::json;

StoreError refused(const EvalStatus& status) {
  StoreCode code = StoreCode::invalid_argument;
  if (status.code == EvalCode::conflict) code = StoreCode::conflict;
  if (status.code == EvalCode::not_found) code = StoreCode::not_found;
  std::string message = status.message;
  for (const Problem& p : status.problems) message += "; " + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message;
  return store_error(code, std::move(message));
}

}  // namespace

DecisionRecorder::DecisionRecorder(LogStore& store, Ledger& ledger, const RulesetSet& rulesets, Clock& clock)
    : store_(store), ledger_(ledger), archive_(rulesets), clock_(clock) {}

Status DecisionRecorder::check_in_step() {
  auto head = store_.head();
  if (!head.ok()) return head.error();
  if (head.value().seq != ledger_.last_seq()) {
    return store_error(StoreCode::conflict, "the ledger is at seq " + std::to_string(ledger_.last_seq()) +
                                                " but the log at seq " + std::to_string(head.value().seq));
  }
  return {};
}

Result<std::uint64_t> DecisionRecorder::append(const json::value& body, std::string_view claim_id, const LedgerEntry& entry) {
  const json::value* used = entry.decision.if_contains(record_format::rulesets_field);
  Status stored = archive_.ensure_stored(store_, used != nullptr ? *used : json::value());
  if (!stored.ok()) return stored.error();
  NewRecord record = make_decision_record(body, claim_id, entry.decision, rfc3339_now(clock_), "");
  auto seqs = store_.append(std::span<const NewRecord>(&record, 1));
  if (!seqs.ok()) return seqs.error();
  if (seqs.value().size() != 1 || seqs.value()[0] != entry.seq) {
    return store_error(StoreCode::conflict,
                       "the log stored the decision of seq " + std::to_string(entry.seq) + " at seq " +
                           std::to_string(seqs.value().empty() ? 0 : seqs.value()[0]),
                       entry.seq);
  }
  return entry.seq;
}

Result<std::uint64_t> DecisionRecorder::record_claim(const json::value& body) {
  if (Status s = check_in_step(); !s.ok()) return s.error();
  auto parsed = parse_claim(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) return refused({EvalCode::invalid_input, "invalid claim", *problems});
  const Claim& claim = std::get<Claim>(parsed);
  LedgerEntry entry;
  EvalStatus status = ledger_.submit(claim, entry);
  if (!status.ok()) return refused(status);
  return append(body, claim.claim_id, entry);
}

Result<std::uint64_t> DecisionRecorder::record_follow_up(FollowUpKind kind, std::string_view claim_id,
                                                         const json::value& body) {
  if (Status s = check_in_step(); !s.ok()) return s.error();
  auto parsed = parse_follow_up(kind, body);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    return refused({EvalCode::invalid_input, "invalid " + std::string(follow_up_kind_names[static_cast<std::size_t>(kind)]), *problems});
  }
  LedgerEntry entry;
  EvalStatus status = ledger_.follow_up(claim_id, std::get<FollowUpRequest>(parsed), entry);
  if (!status.ok()) return refused(status);
  return append(body, claim_id, entry);
}

}  // namespace subsidy::store
