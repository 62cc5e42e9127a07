#pragma once
// A decision as the evaluator produces it: lines, the rule hits behind each line, totals,
// disbursements. Rule hits point into the RulesetSet and hold their message arguments as raw
// values; decision_json.h renders them (and groups them into reasons) when the decision is
// written out, so that deciding allocates nothing in steady state.

#include "engine/history.h"
#include "engine/money.h"
#include "engine/ruleset.h"
#include "engine/subject.h"
#include "engine/vocabulary.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy {

enum class Outcome : std::uint8_t { approved, partially_approved, rejected, needs_review };
enum class DecisionKind : std::uint8_t { initial, review, settlement };
enum class LineStatus : std::uint8_t { approved, rejected, held };
enum class HitKind : std::uint8_t { rejected, held, applied };

inline constexpr std::array<std::string_view, 4> outcome_names = {"approved", "partially_approved", "rejected", "needs_review"};
inline constexpr std::array<std::string_view, 3> decision_kind_names = {"initial", "review", "settlement"};
inline constexpr std::array<std::string_view, 3> line_status_names = {"approved", "rejected", "needs_review"};

struct RuleHit {
  const Rule* rule = nullptr;
  HitKind kind = HitKind::rejected;
  std::array<expr::Value, message_args_max> args{};
  std::uint32_t refs_begin = 0, refs_end = 0;  // into Decision::refs, sorted, distinct
};

struct DecisionLine {
  Subject subject;
  Date governing_date;
  const Ruleset* ruleset = nullptr;  // nullptr: no ruleset governs the line
  Fen requested;
  Fen approved;
  LineStatus status = LineStatus::rejected;
  std::uint32_t hits_begin = 0, hits_end = 0;  // into Decision::hits
};

struct Disbursement {
  DisbursementKind kind = DisbursementKind::payment;
  Fen amount;                  // positive; a recovery is money paid back
  const Rule* rule = nullptr;  // the disbursement rule that computed it, if any
};

struct Decision {
  std::string claim_id;
  Program program = Program::work_for_training;
  DecisionKind kind = DecisionKind::initial;
  Outcome outcome = Outcome::rejected;
  Fen requested;
  Fen approved;
  std::vector<Disbursement> disbursements;
  std::vector<DecisionLine> lines;
  std::vector<RuleHit> hits;  // lines' hits first; from claim_hits_begin, hits of the whole decision
  std::uint32_t claim_hits_begin = 0;  // e.g. the disbursement rule that computed the advance
  std::vector<Seq> refs;
  const Ruleset* ruleset = nullptr;        // governs the first governed line
  std::vector<const Ruleset*> rulesets;    // every ruleset used, bases included, first use first

  // Empties the decision, keeping its buffers for the next one.
  void clear();
};

}  // namespace subsidy
