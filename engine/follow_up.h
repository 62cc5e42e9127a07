#pragma once
// A request about a claim already decided: the settlement of a project class, or a clerk's review
// of held lines. Both are decided against the claim as the history keeps it (ClaimHistory), so the
// ledger, the server's sequencer, the recorder and replay each handle them through one door.

#include "engine/catalogue.h"
#include "engine/claim.h"
#include "engine/decision.h"
#include "engine/evaluator.h"
#include "engine/history.h"
#include "engine/problem.h"
#include "engine/review.h"
#include "engine/ruleset_set.h"

#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

namespace subsidy {

enum class FollowUpKind : std::uint8_t { settlement, review };
// As a decision's "kind" names them.
inline constexpr std::array<std::string_view, 2> follow_up_kind_names = {"settlement", "review"};
std::optional<FollowUpKind> follow_up_kind(std::string_view decision_kind);

using FollowUpRequest = std::variant<SettlementRequest, ReviewRequest>;

// parse_settlement or parse_review of body.
std::variant<FollowUpRequest, Problems> parse_follow_up(FollowUpKind kind, const boost::json::value& body);

// Decides request about claim_id: settle() or review() against the history's claim; when the
// history keeps no such claim, not_found (no claim_id) or conflict (a claim this kind cannot
// follow: not a class, nothing held).
EvalStatus decide_follow_up(std::string_view claim_id, const FollowUpRequest& request, const HistoryView& history,
                            const CatalogueView& catalogue, const SystemsView& systems, const RulesetSet& rulesets,
                            Decision& out);

}  // namespace subsidy
