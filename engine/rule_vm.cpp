#include "engine/rule_vm.h"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace subsidy {
namespace {

using expr::Node;
using expr::Op;
using expr::Value;

Value pointer_value(const void* p) { return static_cast<Value>(reinterpret_cast<std::intptr_t>(p)); }
template <class T>
const T& from_pointer(Value v) { return *reinterpret_cast<const T*>(static_cast<std::intptr_t>(v)); }

Value date_value(Date d) { return static_cast<Value>(d.day_number()); }

// add_months beyond a thousand years is no rule's business; refusing it keeps dates in range.
constexpr Value months_shift_max = 12000;

bool same_entity(const EvalContext& ctx, const CreditCode& entity, Scope scope) {
  return scope == Scope::person || entity == ctx.claim->entity.credit_code;
}

void add_ref(EvalContext& ctx, Seq seq) {
  if (ctx.collect_refs) ctx.refs->push_back(seq);
}

void resolve_catalogue(EvalContext& ctx) {
  if (ctx.catalogue_resolved) return;
  ctx.catalogue_resolved = true;
  std::string_view entity = ctx.claim->entity.credit_code.view();
  ctx.institution_any = ctx.catalogue->any_institution(entity);
  ctx.institution_on = ctx.institution_any ? ctx.catalogue->institution(entity, ctx.line_date) : nullptr;
  if (ctx.claim->project) {
    ctx.project_any = ctx.catalogue->any_project(ctx.claim->project->code);
    const ProjectEntry* on = ctx.project_any ? ctx.catalogue->project(ctx.claim->project->code, ctx.line_date) : nullptr;
    ctx.project_on = on && on->program == ctx.claim->program ? on : nullptr;
  }
}

Value approved_months(EvalContext& ctx, Scope scope) {
  Value count = ctx.approved_wft_months;
  if (ctx.person_history) {
    for (const ApprovedMonth& m : ctx.person_history->wft_months) {
      if (!same_entity(ctx, m.entity, scope)) continue;
      ++count;
      add_ref(ctx, m.seq);
    }
  }
  return count;
}

Value month_paid(EvalContext& ctx, Month month) {
  if (!ctx.person_history) return 0;
  for (const ApprovedMonth& m : ctx.person_history->wft_months) {
    if (m.month == month) {
      add_ref(ctx, m.seq);
      return 1;
    }
  }
  return 0;
}

Value approved_program(EvalContext& ctx, Program program, Scope scope) {
  if (!ctx.person_history) return 0;
  bool found = false;
  if (program == Program::work_for_training) {
    for (const ApprovedMonth& m : ctx.person_history->wft_months) {
      if (same_entity(ctx, m.entity, scope)) { found = true; add_ref(ctx, m.seq); }
    }
    return found;
  }
  for (const ProgramApproval& a : ctx.person_history->approvals) {
    if (a.program == program && same_entity(ctx, a.entity, scope)) { found = true; add_ref(ctx, a.seq); }
  }
  return found;
}

Value overlapping_class(EvalContext& ctx) {
  if (!ctx.person_history) return 0;
  bool found = false;
  for (const ProgramApproval& a : ctx.person_history->approvals) {
    if (a.program != Program::project_training || a.claim_id == ctx.claim->claim_id) continue;
    if (a.period.start <= ctx.training.end && ctx.training.start <= a.period.end) {
      found = true;
      add_ref(ctx, a.seq);
    }
  }
  return found;
}

Value identity_consistent(EvalContext& ctx) {
  if (!ctx.person_history || ctx.person_history->first_name == ctx.person->name) return 1;
  add_ref(ctx, ctx.person_history->first_name_seq);
  return 0;
}

Value within_budget(EvalContext& ctx) {
  int year = ctx.line_date.year();
  std::optional<Fen> budget = ctx.catalogue->budget(ctx.claim->program, year);
  if (!budget) return 1;
  Fen used = ctx.history->approved_total(ctx.claim->program, year);
  for (const auto& [y, amount] : ctx.approved_by_year) {
    if (y == year) used = checked_add(used, amount).value_or(Fen(fen_input_max));
  }
  auto total = checked_add(used, ctx.line_amount);
  return total && *total <= *budget;
}

// The registry's refs: the import that holds the person's entry, or, for a person no import
// named, the latest import (what the registry was as of).
Value registered(EvalContext& ctx) {
  const RegistryEntry* entry = ctx.systems->registered_person(ctx.id_number);
  if (entry == nullptr) {
    if (Seq seq = ctx.systems->registry_seq()) add_ref(ctx, seq);
    return 0;
  }
  add_ref(ctx, entry->seq);
  return entry->person.name == ctx.name;
}

Value certified(EvalContext& ctx, CategorySet categories, Date on) {
  const RegistryEntry* entry = ctx.systems->registered_person(ctx.id_number);
  if (entry == nullptr) {
    if (Seq seq = ctx.systems->registry_seq()) add_ref(ctx, seq);
    return 0;
  }
  add_ref(ctx, entry->seq);
  for (std::size_t i = 0; i < category_names.size(); ++i) {
    auto category = static_cast<Category>(i);
    if (categories.contains(category) && certified_on(entry->person, category, on)) return 1;
  }
  return 0;
}

// The claim's class against its filing: first the class (named, filed, by this institution, for
// this project, with the claim's dates, lead_days working days ahead), then the trainee's place
// on the roster. The filing's seq is the ref.
Value class_filing(EvalContext& ctx, Value lead_days) {
  const ProjectRef& project = *ctx.claim->project;
  if (project.class_id.empty()) return static_cast<Value>(FilingFinding::no_class_id);
  const ClassFilingEntry* entry = ctx.systems->class_filing(project.class_id);
  if (entry == nullptr) return static_cast<Value>(FilingFinding::not_filed);
  add_ref(ctx, entry->seq);
  const ClassFiling& f = entry->filing;
  FilingFinding finding = FilingFinding::ok;
  if (f.credit_code != ctx.claim->entity.credit_code) finding = FilingFinding::another_institution;
  else if (f.project_code != project.code) finding = FilingFinding::another_project;
  else if (!(f.period == ctx.training)) finding = FilingFinding::dates_differ;
  else if (working_days_between(f.filed_on.day_number(), ctx.training.start.day_number()) < lead_days) finding = FilingFinding::filed_late;
  else if (std::none_of(f.roster.begin(), f.roster.end(), [&](const RosterEntry& e) { return e.id_number.view() == ctx.id_number; }))
    finding = FilingFinding::not_on_roster;
  return static_cast<Value>(finding);
}

// REQUIRES: `v` was computed before the call (argument order is unspecified in C++).
Value checked(EvalContext& ctx, bool overflowed, Value v) {
  if (overflowed) ctx.overflow = true;
  return overflowed ? 0 : v;
}

class Machine {
 public:
  Machine(const expr::Program& p, EvalContext& ctx) : nodes_(p.nodes.data()), ctx_(ctx) {}

  Value eval(std::uint16_t i) {
    const Node& n = nodes_[i];
    switch (n.op) {
      case Op::constant: return n.imm;
      case Op::param: return ctx_.ruleset->parameter_value(static_cast<std::uint16_t>(n.imm), ctx_.line_date);
      default: break;
    }
    if (static_cast<int>(n.op) < static_cast<int>(Op::approved_months)) return context_value(n);
    if (static_cast<int>(n.op) < static_cast<int>(Op::add_months)) return history_value(n);
    if (static_cast<int>(n.op) < static_cast<int>(Op::logical_and)) return function_value(n);
    return operator_value(n);
  }

 private:
  Value context_value(const Node& n) {
    const Claim& c = *ctx_.claim;
    switch (n.op) {
      case Op::claim_submitted_on: return date_value(c.submitted_on);
      case Op::claim_program: return static_cast<Value>(c.program);
      case Op::claim_evidence: return static_cast<Value>(c.evidence_kinds.bits());
      case Op::entity_type: return static_cast<Value>(c.entity.type);
      case Op::entity_insured: return c.entity.insured;
      case Op::entity_registration_type: return pointer_value(&ctx_.registration_type);
      case Op::person_categories: return static_cast<Value>(ctx_.person->categories.bits());
      case Op::person_id_number: return pointer_value(&ctx_.id_number);
      case Op::person_name: return pointer_value(&ctx_.name);
      case Op::employment_start: return date_value(c.employment->start);
      case Op::employment_end: return c.employment->end ? date_value(*c.employment->end) : expr::null_value;
      case Op::line_month: return ctx_.line_month.index();
      case Op::line_date: return date_value(ctx_.line_date);
      case Op::line_amount: return ctx_.line_amount.value();
      case Op::approved_total: return ctx_.approved_total.value();
      case Op::training_start: return date_value(ctx_.training.start);
      case Op::training_end: return date_value(ctx_.training.end);
      case Op::project_code: return pointer_value(&ctx_.project_code);
      case Op::result_passed: return ctx_.result && ctx_.result->passed;
      default: return catalogue_value(n);
    }
  }

  Value catalogue_value(const Node& n) {
    resolve_catalogue(ctx_);
    switch (n.op) {
      case Op::project_known: return ctx_.project_any != nullptr;
      case Op::project_listed: return ctx_.project_on != nullptr;
      case Op::project_standard_fen: return ctx_.project_on ? ctx_.project_on->standard.value() : 0;
      case Op::institution_known: return ctx_.institution_any != nullptr;
      case Op::institution_listed: return ctx_.institution_on != nullptr && ctx_.institution_on->kind == "training";
      default: return 0;
    }
  }

  Value history_value(const Node& n) {
    switch (n.op) {
      case Op::approved_months: return approved_months(ctx_, static_cast<Scope>(eval(n.a)));
      case Op::month_paid: return month_paid(ctx_, Month::from_index(static_cast<std::int32_t>(eval(n.a))));
      case Op::approved_program:
        return approved_program(ctx_, static_cast<Program>(eval(n.a)), static_cast<Scope>(eval(n.b)));
      case Op::overlapping_class: return overlapping_class(ctx_);
      case Op::identity_consistent: return identity_consistent(ctx_);
      case Op::within_budget: return within_budget(ctx_);
      case Op::registered: return registered(ctx_);
      case Op::class_filing: return class_filing(ctx_, eval(n.a));
      case Op::certified: {
        auto categories = CategorySet::from_bits(static_cast<std::uint64_t>(eval(n.a)));
        Value day = eval(n.b);
        return certified(ctx_, categories, Date(boost::gregorian::gregorian_calendar::from_day_number(static_cast<std::uint32_t>(day))));
      }
      default: return 0;
    }
  }

  Value function_value(const Node& n) {
    switch (n.op) {
      case Op::add_months: {
        Value day = eval(n.a);
        Value months = eval(n.b);
        if (months < -months_shift_max || months > months_shift_max) return checked(ctx_, true, 0);
        return add_months_to_day_number(day, static_cast<int>(months));
      }
      case Op::month_of: {
        CivilDay c = civil_from_day_number(eval(n.a));
        return c.year * 12 + c.month - 1;
      }
      case Op::first_day: {
        Value index = eval(n.a);
        return day_number_from_civil(static_cast<int>(index / 12), static_cast<int>(index % 12 + 1), 1);
      }
      case Op::last_day: {
        Value index = eval(n.a);
        int year = static_cast<int>(index / 12), month = static_cast<int>(index % 12 + 1);
        return day_number_from_civil(year, month, days_in_month(year, month));
      }
      case Op::min: return std::min(eval(n.a), eval(n.b));
      case Op::max: return std::max(eval(n.a), eval(n.b));
      case Op::coalesce: { Value v = eval(n.a); return v == expr::null_value ? eval(n.b) : v; }
      case Op::is_null: return eval(n.a) == expr::null_value;
      case Op::percent_of: {
        auto r = checked_percent(Fen(eval(n.a)), eval(n.b));
        return checked(ctx_, !r, r ? r->value() : 0);
      }
      case Op::set_size: return std::popcount(static_cast<std::uint64_t>(eval(n.a)));
      case Op::set_union: return eval(n.a) | eval(n.b);
      case Op::set_intersect: return eval(n.a) & eval(n.b);
      case Op::set_difference: return eval(n.a) & ~eval(n.b);
      case Op::set_is_empty: return eval(n.a) == 0;
      case Op::lookup: {
        const auto& map = from_pointer<RegistrationMap>(eval(n.a));
        return pointer_value(&map[static_cast<std::size_t>(eval(n.b))]);
      }
      case Op::if_then_else: return eval(n.a) ? eval(n.b) : eval(n.c);
      default: return 0;
    }
  }

  Value operator_value(const Node& n) {
    Value r = 0;
    switch (n.op) {
      case Op::logical_and: return eval(n.a) && eval(n.b);
      case Op::logical_or: return eval(n.a) || eval(n.b);
      case Op::logical_not: return !eval(n.a);
      case Op::equal: return eval(n.a) == eval(n.b);
      case Op::not_equal: return eval(n.a) != eval(n.b);
      case Op::less: return eval(n.a) < eval(n.b);
      case Op::less_equal: return eval(n.a) <= eval(n.b);
      case Op::greater: return eval(n.a) > eval(n.b);
      case Op::greater_equal: return eval(n.a) >= eval(n.b);
      case Op::text_equal: return from_pointer<std::string_view>(eval(n.a)) == from_pointer<std::string_view>(eval(n.b));
      case Op::text_not_equal: return from_pointer<std::string_view>(eval(n.a)) != from_pointer<std::string_view>(eval(n.b));
      case Op::add: case Op::fen_add: {
        bool overflowed = __builtin_add_overflow(eval(n.a), eval(n.b), &r);
        return checked(ctx_, overflowed, r);
      }
      case Op::subtract: case Op::fen_subtract: {
        bool overflowed = __builtin_sub_overflow(eval(n.a), eval(n.b), &r);
        return checked(ctx_, overflowed, r);
      }
      case Op::multiply: case Op::fen_multiply: {
        bool overflowed = __builtin_mul_overflow(eval(n.a), eval(n.b), &r);
        return checked(ctx_, overflowed, r);
      }
      case Op::negate: {
        bool overflowed = __builtin_sub_overflow(Value{0}, eval(n.a), &r);
        return checked(ctx_, overflowed, r);
      }
      case Op::in_set: return (static_cast<std::uint64_t>(eval(n.b)) >> eval(n.a)) & 1u;
      case Op::in_text_list: {
        const auto& needle = from_pointer<std::string_view>(eval(n.a));
        const auto& list = from_pointer<std::vector<std::string>>(eval(n.b));
        return std::find(list.begin(), list.end(), needle) != list.end();
      }
      default: return 0;
    }
  }

  const Node* nodes_;
  EvalContext& ctx_;
};

}  // namespace

expr::Value evaluate(const expr::Program& program, EvalContext& ctx) {
  return Machine(program, ctx).eval(program.root);
}

}  // namespace subsidy
