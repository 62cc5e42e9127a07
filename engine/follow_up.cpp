#include "engine/follow_up.h"

#include "engine/claim_parser.h"

#include <algorithm>
#include <string>

namespace subsidy {
namespace {

FollowUpKind kind_of(const FollowUpRequest& request) {
  return std::holds_alternative<SettlementRequest>(request) ? FollowUpKind::settlement : FollowUpKind::review;
}

// Why the history keeps no claim to follow up.
EvalStatus no_kept_claim(FollowUpKind kind, const HistoryView& history, std::string_view claim_id) {
  if (!history.has_claim(claim_id)) return {EvalCode::not_found, "no claim " + std::string(claim_id), {}};
  if (kind == FollowUpKind::settlement) return {EvalCode::conflict, "only project_training claims are settled", {}};
  return {EvalCode::conflict, "no line of this claim was held for review", {}};
}

}  // namespace

std::optional<FollowUpKind> follow_up_kind(std::string_view decision_kind) {
  auto it = std::find(follow_up_kind_names.begin(), follow_up_kind_names.end(), decision_kind);
  if (it == follow_up_kind_names.end()) return std::nullopt;
  return static_cast<FollowUpKind>(it - follow_up_kind_names.begin());
}

std::variant<FollowUpRequest, Problems> parse_follow_up(FollowUpKind kind, const boost::json::value& body) {
  if (kind == FollowUpKind::settlement) {
    auto parsed = parse_settlement(body);
    if (auto* problems = std::get_if<Problems>(&parsed)) return std::move(*problems);
    return FollowUpRequest(std::move(std::get<SettlementRequest>(parsed)));
  }
  auto parsed = parse_review(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) return std::move(*problems);
  return FollowUpRequest(std::move(std::get<ReviewRequest>(parsed)));
}

EvalStatus decide_follow_up(std::string_view claim_id, const FollowUpRequest& request, const HistoryView& history,
                            const CatalogueView& catalogue, const SystemsView& systems, const RulesetSet& rulesets,
                            Decision& out) {
  const ClaimHistory* ch = history.claim(claim_id);
  if (ch == nullptr) return no_kept_claim(kind_of(request), history, claim_id);
  if (const auto* settlement = std::get_if<SettlementRequest>(&request)) {
    return settle(*ch, *settlement, history, catalogue, systems, rulesets, out);
  }
  return review(*ch, std::get<ReviewRequest>(request), history, catalogue, systems, rulesets, out);
}

}  // namespace subsidy
