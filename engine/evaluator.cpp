#include "engine/evaluator.h"

#include "engine/rule_vm.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <optional>
#include <string>
#include <variant>

namespace subsidy {
namespace {

// One line to decide, before any rule ran.
struct LineInput {
  Subject subject;
  Date date;  // governs the line: a month's last day, a training's or class's start
  const Person* person = nullptr;
  Month month;
  const TraineeResult* result = nullptr;  // settlements
  Fen fixed_amount;                       // settlements: the amount recognised at the advance
  std::optional<Resolution> resolution;   // reviews: what the clerk decided for this held line
};

class Evaluation {
 public:
  Evaluation(const Claim& claim, const HistoryView& history, const CatalogueView& catalogue, const SystemsView& systems,
             const RulesetSet& rulesets, Decision& out, RulePhase phase)
      : claim_(claim), history_(history), rulesets_(rulesets), out_(out), phase_(phase) {
    out_.clear();
    out_.claim_id = claim.claim_id;
    out_.program = claim.program;
    out_.kind = phase == RulePhase::settlement ? DecisionKind::settlement : DecisionKind::initial;
    ctx_.claim = &claim;
    ctx_.history = &history;
    ctx_.catalogue = &catalogue;
    ctx_.systems = &systems;
    ctx_.refs = &out_.refs;
    fired_.fill(-1);
    ctx_.registration_type = claim.entity.credit_code.view().substr(0, 2);
    if (claim.project) ctx_.project_code = claim.project->code;
    if (claim.training) ctx_.training = *claim.training;
    if (claim.project && claim.project->period) ctx_.training = *claim.project->period;
  }

  EvalStatus run(const std::vector<LineInput>& lines) {
    for (const LineInput& line : lines) {
      decide_line(line);
      if (ctx_.overflow) return {EvalCode::overflow, "an amount overflowed while deciding " + std::string(line.subject.view()), {}};
    }
    out_.claim_hits_begin = static_cast<std::uint32_t>(out_.hits.size());
    total();
    return {};
  }

  // Initial decisions: the advance or payment follows from the approved lines.
  EvalStatus disburse_initial() {
    out_.claim_hits_begin = static_cast<std::uint32_t>(out_.hits.size());
    std::vector<const Ruleset*> seen;
    for (const DecisionLine& line : out_.lines) {
      if (line.ruleset == nullptr || std::find(seen.begin(), seen.end(), line.ruleset) != seen.end()) continue;
      seen.push_back(line.ruleset);
      if (!disburse_for(*line.ruleset, line.governing_date)) return {EvalCode::overflow, "disbursement overflowed", {}};
    }
    return {};
  }

  Decision& out() { return out_; }
  void mark_review() { out_.kind = DecisionKind::review; }

 private:
  void decide_line(const LineInput& in) {
    DecisionLine line;
    line.subject = in.subject;
    line.governing_date = in.date;
    line.hits_begin = static_cast<std::uint32_t>(out_.hits.size());
    const Ruleset* rs = rulesets_.governing(in.date);
    enter_line(in, rs);
    if (rs == nullptr) {
      no_policy(in);
    } else {
      line.ruleset = rs;
      apply_rules(in, *rs, line);
    }
    line.hits_end = static_cast<std::uint32_t>(out_.hits.size());
    out_.lines.push_back(line);
  }

  void enter_line(const LineInput& in, const Ruleset* rs) {
    bool person_changed = ctx_.person != in.person;
    if (person_changed) {
      ctx_.person = in.person;
      ctx_.person_history = in.person ? history_.person(in.person->id_number) : nullptr;
      ctx_.id_number = in.person ? in.person->id_number.view() : std::string_view();
      ctx_.name = in.person ? std::string_view(in.person->name) : std::string_view();
    }
    if (ctx_.line_date != in.date) ctx_.catalogue_resolved = false;
    ctx_.line_date = in.date;
    ctx_.line_month = in.month;
    ctx_.result = in.result;
    ctx_.line_amount = Fen(0);
    if (rs != nullptr) use_ruleset(rs);
    ctx_.ruleset = rs;
    refresh_fired(rs, person_changed);
  }

  // At review (in.resolution set) a clerk's rejection stands alone, and a clerk's approval takes
  // the place of the hold rules: every reject rule still applies, as of now (policy.md).
  void apply_rules(const LineInput& in, const Ruleset& rs, DecisionLine& line) {
    const ProgramRules& rules = rs.rules_for(claim_.program, phase_);
    line.requested = rules.amount ? Fen(evaluate(*rules.amount->value, ctx_)) : in.fixed_amount;
    ctx_.line_amount = line.requested;
    if (in.resolution == Resolution::reject) {
      line.status = LineStatus::rejected;
      record_hit(*rules.review_rejected, HitKind::rejected);
    } else if (fire_rejections(rules)) {
      line.status = LineStatus::rejected;
    } else if (!in.resolution && fire_all(rules.holds, HitKind::held)) {
      line.status = LineStatus::held;
    } else {
      line.status = LineStatus::approved;
      line.approved = line.requested;
      if (rules.amount) record_hit(*rules.amount, HitKind::applied);
      if (in.resolution) record_hit(*rules.review_approved, HitKind::applied);
      count_approval(line);
    }
  }

  // A line outside every ruleset's range: rejected, nothing requested, and the reason comes
  // from the ruleset nearest in time.
  void no_policy(const LineInput&) {
    const Ruleset* nearest = rulesets_.nearest(ctx_.line_date);
    use_ruleset(nearest);
    ctx_.ruleset = nearest;
    if (nearest->no_policy) record_hit(*nearest->no_policy, HitKind::rejected);
    ctx_.ruleset = nullptr;
  }

  // The reject rules that fire, and the hold rules that fire where their reject_when says a
  // bureau rejects instead of holding: each rejects the line, and each is a reason.
  bool fire_rejections(const ProgramRules& rules) {
    bool any = fire_all(rules.rejects, HitKind::rejected);
    for (const Rule* rule : rules.holds) {
      if (!rule->reject_when || evaluate(*rule->reject_when, ctx_) == 0 || !fires(*rule)) continue;
      record_hit(*rule, HitKind::rejected);
      any = true;
    }
    return any;
  }

  bool fire_all(const std::vector<const Rule*>& rules, HitKind kind) {
    bool any = false;
    for (const Rule* rule : rules) {
      if (!fires(*rule)) continue;
      record_hit(*rule, kind);
      any = true;
    }
    return any;
  }

  // Whether a reject or hold rule fires on the current line. A rule that reads nothing of the
  // line fires alike on every line with the same ruleset, parameter values and person, so its
  // answer is kept for the next line (most of a work-for-training claim's rules).
  bool fires(const Rule& rule) {
    std::int8_t& cached = fired_[rule.ordinal];
    if (!rule.reads_line && cached >= 0) return cached != 0;
    bool result = !(rule.when && evaluate(*rule.when, ctx_) == 0) && evaluate(*rule.require, ctx_) == 0;
    if (!rule.reads_line) cached = result ? 1 : 0;
    return result;
  }

  // Forgets kept answers that the new line may not share.
  void refresh_fired(const Ruleset* rs, bool person_changed) {
    std::size_t epoch = rs ? rs->parameter_epoch(ctx_.line_date) : 0;
    if (rs != fired_ruleset_ || epoch != fired_epoch_) {
      fired_.fill(-1);
      fired_ruleset_ = rs;
      fired_epoch_ = epoch;
    } else if (person_changed && rs) {
      for (const Rule& rule : rs->rules) {
        if (rule.reads_person) fired_[rule.ordinal] = -1;
      }
    }
  }

  // Evaluates the rule's message arguments and, for a rule that fired, the refs its condition
  // relied on (a second, pure evaluation with ref collection on: only failing rules pay for it).
  void record_hit(const Rule& rule, HitKind kind) {
    RuleHit hit;
    hit.rule = &rule;
    hit.kind = kind;
    for (std::size_t i = 0; i < rule.args.size(); ++i) hit.args[i] = evaluate(rule.args[i].program, ctx_);
    hit.refs_begin = static_cast<std::uint32_t>(out_.refs.size());
    if (kind != HitKind::applied && rule.require) {
      ctx_.collect_refs = true;
      evaluate(*rule.require, ctx_);
      ctx_.collect_refs = false;
      auto begin = out_.refs.begin() + hit.refs_begin;
      std::sort(begin, out_.refs.end());
      out_.refs.erase(std::unique(begin, out_.refs.end()), out_.refs.end());
    }
    hit.refs_end = static_cast<std::uint32_t>(out_.refs.size());
    out_.hits.push_back(hit);
  }

  void count_approval(const DecisionLine& line) {
    if (claim_.program == Program::work_for_training) ++ctx_.approved_wft_months;
    int year = line.governing_date.year();
    for (auto& [y, amount] : ctx_.approved_by_year) {
      if (y == year) {
        amount = checked_add(amount, line.approved).value_or(Fen(0));
        return;
      }
    }
    ctx_.approved_by_year.emplace_back(year, line.approved);
  }

  void use_ruleset(const Ruleset* rs) {
    if (out_.ruleset == nullptr) out_.ruleset = rs;
    for (const Ruleset* r : {rs, rs->base}) {
      if (r && std::find(out_.rulesets.begin(), out_.rulesets.end(), r) == out_.rulesets.end()) out_.rulesets.push_back(r);
    }
  }

  void total() {
    std::size_t approved = 0, held = 0;
    for (const DecisionLine& line : out_.lines) {
      out_.requested = checked_add(out_.requested, line.requested).value_or(Fen(0));
      out_.approved = checked_add(out_.approved, line.approved).value_or(Fen(0));
      approved += line.status == LineStatus::approved;
      held += line.status == LineStatus::held;
    }
    if (held > 0) out_.outcome = Outcome::needs_review;
    else if (approved == 0) out_.outcome = Outcome::rejected;
    else if (approved == out_.lines.size()) out_.outcome = Outcome::approved;
    else out_.outcome = Outcome::partially_approved;
    // Prefer a governing ruleset over the one that only explained a gap.
    for (const DecisionLine& line : out_.lines) {
      if (line.ruleset) { out_.ruleset = line.ruleset; break; }
    }
  }

  bool disburse_for(const Ruleset& rs, Date date) {
    Fen sum;
    for (const DecisionLine& line : out_.lines) {
      if (line.ruleset == &rs) sum = checked_add(sum, line.approved).value_or(Fen(0));
    }
    if (sum.value() == 0) return true;
    const Rule* rule = rs.rules_for(claim_.program, phase_).disbursement;
    Disbursement d{DisbursementKind::payment, sum, nullptr};
    if (rule) {
      ctx_.ruleset = &rs;
      if (ctx_.line_date != date) ctx_.catalogue_resolved = false;
      ctx_.line_date = date;
      ctx_.approved_total = sum;
      d = Disbursement{rule->disbursement_kind, Fen(evaluate(*rule->value, ctx_)), rule};
      if (ctx_.overflow) return false;
      record_hit(*rule, HitKind::applied);
    }
    add_disbursement(d);
    return true;
  }

 public:
  // A settlement's final amount: the settlement-phase disbursement rule's value when the ruleset
  // has one (recorded as a reason), else the approved total. nullopt on overflow.
  std::optional<Fen> final_amount(const Ruleset& rs, Date date) {
    const Rule* rule = rs.rules_for(claim_.program, RulePhase::settlement).disbursement;
    if (!rule) return out_.approved;
    ctx_.ruleset = &rs;
    ctx_.line_date = date;
    ctx_.approved_total = out_.approved;
    Fen amount(evaluate(*rule->value, ctx_));
    if (ctx_.overflow) return std::nullopt;
    record_hit(*rule, HitKind::applied);
    return amount;
  }

  void add_disbursement(const Disbursement& d) {
    if (d.amount.value() == 0) return;
    for (Disbursement& existing : out_.disbursements) {
      if (existing.kind == d.kind) {
        existing.amount = checked_add(existing.amount, d.amount).value_or(existing.amount);
        return;
      }
    }
    out_.disbursements.push_back(d);
  }

 private:
  const Claim& claim_;
  const HistoryView& history_;
  const RulesetSet& rulesets_;
  Decision& out_;
  RulePhase phase_;
  EvalContext ctx_;
  // Kept answers of line-independent rules, by Rule::ordinal: -1 unknown, 0 passes, 1 fires.
  std::array<std::int8_t, ruleset_rules_max> fired_;
  const Ruleset* fired_ruleset_ = nullptr;
  std::size_t fired_epoch_ = 0;
};

std::vector<LineInput> initial_lines(const Claim& claim) {
  std::vector<LineInput> lines;
  switch (claim.program) {
    case Program::work_for_training:
      for (Month m : claim.months) {
        lines.push_back(LineInput{Subject(m.to_string()), m.last_day(), &*claim.person, m, nullptr, Fen(0), std::nullopt});
      }
      break;
    case Program::pre_job_training:
      lines.push_back(LineInput{Subject("claim"), claim.training->start, &*claim.person, Month(), nullptr, Fen(0), std::nullopt});
      break;
    case Program::project_training:
      for (const Person& trainee : claim.trainees) {
        lines.push_back(LineInput{Subject(trainee.id_number.view()), claim.project->period->start, &trainee, Month(), nullptr, Fen(0), std::nullopt});
      }
      break;
  }
  return lines;
}


// What a settlement must carry before it can be decided (policy.md: a settlement that lacks its
// required evidence is invalid input, not a decision), and the result of every approved trainee.
Problems settlement_problems(const ClaimHistory& ch, const SettlementRequest& request, const Ruleset& rs) {
  Problems problems;
  if (const Parameter* p = rs.find_parameter("evidence.settlement")) {
    auto required = EvidenceKindSet::from_bits(static_cast<std::uint64_t>(rs.parameter_value(rs.parameter_index.at(p->name), ch.claim.project->period->start)));
    std::string missing;
    for (std::size_t k = 0; k < evidence_kind_names.size(); ++k) {
      auto kind = static_cast<EvidenceKind>(k);
      if (required.contains(kind) && !request.evidence_kinds.contains(kind)) {
        missing += (missing.empty() ? "" : ", ") + std::string(evidence_kind_names[k]);
      }
    }
    if (!missing.empty()) problems.push_back({"/evidence", "required evidence missing: " + missing});
  }
  for (std::size_t i = 0; i < request.results.size(); ++i) {
    const IdNumber& id = request.results[i].id_number;
    bool known = std::any_of(ch.claim.trainees.begin(), ch.claim.trainees.end(), [&](const Person& t) { return t.id_number == id; });
    if (!known) problems.push_back({"/results/" + std::to_string(i) + "/id_number", "not a trainee of this class"});
  }
  for (const ClaimLineRecord& line : ch.lines) {
    if (!line.approved) continue;
    bool found = std::any_of(request.results.begin(), request.results.end(), [&](const TraineeResult& r) { return r.id_number == line.id_number; });
    if (!found) problems.push_back({"/results", "no result for approved trainee " + line.id_number.str()});
  }
  return problems;
}

std::vector<LineInput> settlement_lines(const ClaimHistory& ch, const SettlementRequest& request) {
  std::vector<LineInput> lines;
  for (const ClaimLineRecord& record : ch.lines) {
    if (!record.approved) continue;
    auto trainee = std::find_if(ch.claim.trainees.begin(), ch.claim.trainees.end(), [&](const Person& t) { return t.id_number == record.id_number; });
    auto result = std::find_if(request.results.begin(), request.results.end(), [&](const TraineeResult& r) { return r.id_number == record.id_number; });
    assert(trainee != ch.claim.trainees.end() && result != request.results.end());
    lines.push_back(LineInput{Subject(record.id_number.view()), ch.claim.project->period->start, &*trainee, Month(), &*result, record.amount, std::nullopt});
  }
  return lines;
}

// The held lines a review decides, in the claim's line order, each with its resolution; or the
// problems of a review that names a line that is not held (409 with pointers).
std::variant<std::vector<LineInput>, Problems> review_lines(const ClaimHistory& ch, const ReviewRequest& request) {
  Problems problems;
  for (std::size_t i = 0; i < request.lines.size(); ++i) {
    const std::string& subject = request.lines[i].subject;
    auto record = std::find_if(ch.lines.begin(), ch.lines.end(), [&](const ClaimLineRecord& r) { return r.subject.view() == subject; });
    std::string pointer = "/lines/" + std::to_string(i) + "/subject";
    if (record == ch.lines.end()) problems.push_back({pointer, "names no line of this claim"});
    else if (!record->held) problems.push_back({pointer, "this line is not held for review (it was decided already)"});
  }
  if (!problems.empty()) return problems;
  std::vector<LineInput> all = initial_lines(ch.claim);
  std::vector<LineInput> lines;
  for (LineInput& line : all) {
    auto named = std::find_if(request.lines.begin(), request.lines.end(), [&](const LineResolution& r) { return r.subject == line.subject.view(); });
    if (named == request.lines.end()) continue;
    line.resolution = named->resolution;
    lines.push_back(line);
  }
  return lines;
}

// Whether every ruleset governing these lines names the reasons a review records.
std::optional<std::string> missing_review_rules(const std::vector<LineInput>& lines, Program program, const RulesetSet& rulesets) {
  for (const LineInput& line : lines) {
    const Ruleset* rs = rulesets.governing(line.date);
    if (rs == nullptr) continue;
    const ProgramRules& rules = rs->rules_for(program, RulePhase::initial);
    if (rules.review_approved == nullptr || rules.review_rejected == nullptr) {
      return "ruleset " + rs->id + " names no review_approved and review_rejected rules for " + std::string(name_of(program));
    }
  }
  return std::nullopt;
}

}  // namespace

EvalStatus decide(const Claim& claim, const HistoryView& history, const CatalogueView& catalogue,
                  const SystemsView& systems, const RulesetSet& rulesets, Decision& out) {
  assert(!rulesets.all().empty());
  Evaluation evaluation(claim, history, catalogue, systems, rulesets, out, RulePhase::initial);
  EvalStatus status = evaluation.run(initial_lines(claim));
  if (!status.ok()) return status;
  return evaluation.disburse_initial();
}

}  // namespace subsidy

namespace subsidy {

EvalStatus settle(const ClaimHistory& ch, const SettlementRequest& request, const HistoryView& history,
                  const CatalogueView& catalogue, const SystemsView& systems, const RulesetSet& rulesets, Decision& out) {
  const Claim& claim = ch.claim;
  if (claim.program != Program::project_training) return {EvalCode::conflict, "only project_training claims are settled", {}};
  if (ch.settled) return {EvalCode::conflict, "this claim was already settled", {}};
  if (std::any_of(ch.lines.begin(), ch.lines.end(), [](const ClaimLineRecord& l) { return l.held; })) {
    return {EvalCode::conflict, "lines of this class are still held for review", {}};
  }
  if (std::none_of(ch.lines.begin(), ch.lines.end(), [](const ClaimLineRecord& l) { return l.approved; })) {
    return {EvalCode::conflict, "nothing to settle: no trainee of this class was approved", {}};
  }
  const Ruleset* rs = rulesets.governing(claim.project->period->start);
  if (rs == nullptr) return {EvalCode::conflict, "no ruleset governs this class's start date", {}};
  Problems problems = settlement_problems(ch, request, *rs);
  if (!problems.empty()) return {EvalCode::invalid_input, "the settlement is incomplete", std::move(problems)};

  Evaluation evaluation(claim, history, catalogue, systems, rulesets, out, RulePhase::settlement);
  EvalStatus status = evaluation.run(settlement_lines(ch, request));
  if (!status.ok()) return status;
  out.claim_hits_begin = static_cast<std::uint32_t>(out.hits.size());
  std::optional<Fen> final_amount = evaluation.final_amount(*rs, claim.project->period->start);
  if (!final_amount) return {EvalCode::overflow, "settlement amount overflowed", {}};
  // The final amount against what was already paid: the rest is due, or the excess comes back.
  auto difference = checked_sub(*final_amount, ch.disbursed);
  if (!difference) return {EvalCode::overflow, "settlement amount overflowed", {}};
  if (difference->value() > 0) evaluation.add_disbursement({DisbursementKind::remainder, *difference, nullptr});
  if (difference->value() < 0) evaluation.add_disbursement({DisbursementKind::recovery, Fen(-difference->value()), nullptr});
  return {};
}

EvalStatus review(const ClaimHistory& ch, const ReviewRequest& request, const HistoryView& history,
                  const CatalogueView& catalogue, const SystemsView& systems, const RulesetSet& rulesets, Decision& out) {
  if (ch.settled) return {EvalCode::conflict, "this claim was settled; nothing of it is held", {}};
  auto lines = review_lines(ch, request);
  if (auto* problems = std::get_if<Problems>(&lines)) {
    return {EvalCode::conflict, "the review names lines that are not held for review", std::move(*problems)};
  }
  const auto& inputs = std::get<std::vector<LineInput>>(lines);
  if (auto missing = missing_review_rules(inputs, ch.claim.program, rulesets)) return {EvalCode::conflict, *missing, {}};
  Evaluation evaluation(ch.claim, history, catalogue, systems, rulesets, out, RulePhase::initial);
  evaluation.mark_review();
  EvalStatus status = evaluation.run(inputs);
  if (!status.ok()) return status;
  return evaluation.disburse_initial();
}

}  // namespace subsidy
