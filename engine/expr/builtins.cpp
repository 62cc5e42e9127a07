#include "engine/expr/builtins.h"

namespace subsidy::expr {
namespace {

constexpr Type t(BaseType b, bool nullable = false) { return Type{b, nullable}; }
using B = BaseType;

constexpr ContextName context_table[] = {
    {"claim.submitted_on", Op::claim_submitted_on, t(B::date), for_all, Phase::any, "the day the claim was submitted"},
    {"claim.program", Op::claim_program, t(B::program), for_all, Phase::any, "the claim's program"},
    {"claim.evidence", Op::claim_evidence, t(B::evidence_kind_set), for_all, Phase::any, "the kinds of evidence the claim references"},
    {"entity.type", Op::entity_type, t(B::entity_type), for_all, Phase::any, "the declared type of the claiming entity"},
    {"entity.insured", Op::entity_insured, t(B::boolean), for_all, Phase::any, "the entity pays social insurance (参保企业)"},
    {"entity.registration_type", Op::entity_registration_type, t(B::text), for_all, Phase::any, "the first two characters of the credit code (登记管理部门码 + 机构类别码)"},
    {"person.categories", Op::person_categories, t(B::category_set), for_all, Phase::any, "the categories of the person the line concerns (the trainee for a class)"},
    {"person.id_number", Op::person_id_number, t(B::text), for_all, Phase::any, "the resident ID number of the person the line concerns"},
    {"person.name", Op::person_name, t(B::text), for_all, Phase::any, "the name of the person the line concerns"},
    {"employment.start", Op::employment_start, t(B::date), for_wft | for_prejob, Phase::any, "first day of employment"},
    {"employment.end", Op::employment_end, t(B::date, true), for_wft | for_prejob, Phase::any, "last day of employment, null while employed"},
    {"line.month", Op::line_month, t(B::month), for_wft, Phase::any, "the month a work-for-training line claims"},
    {"line.date", Op::line_date, t(B::date), for_all, Phase::any, "the date that governs the line (a month's last day, a training's start)"},
    {"line.amount", Op::line_amount, t(B::fen), for_all, Phase::any, "the amount the line requests"},
    {"approved_total", Op::approved_total, t(B::fen), for_all, Phase::any, "the sum of this decision's approved lines (for disbursement rules)"},
    {"training.start", Op::training_start, t(B::date), for_prejob | for_project, Phase::any, "first day of the training or class"},
    {"training.end", Op::training_end, t(B::date), for_prejob | for_project, Phase::any, "last day of the training or class"},
    {"project.code", Op::project_code, t(B::text), for_prejob | for_project, Phase::any, "the catalogue code of the project"},
    {"project.known", Op::project_known, t(B::boolean), for_prejob | for_project, Phase::any, "the project code is in the catalogue at all (in the system)"},
    {"project.listed", Op::project_listed, t(B::boolean), for_prejob | for_project, Phase::any, "the project is listed for this program on the line's date"},
    {"project.standard_fen", Op::project_standard_fen, t(B::fen), for_prejob | for_project, Phase::any, "the project's subsidy standard on the line's date (0 if not listed)"},
    {"institution.known", Op::institution_known, t(B::boolean), for_all, Phase::any, "the entity is in the institution catalogue at all"},
    {"institution.listed", Op::institution_listed, t(B::boolean), for_all, Phase::any, "the entity is listed as a training institution on the line's date"},
    {"result.passed", Op::result_passed, t(B::boolean), for_project, Phase::settlement_only, "the trainee passed the assessment (settlements)"},
};

constexpr FunctionSignature function_table[] = {
    {"add_months", Op::add_months, 2, {B::date, B::integer}, t(B::date), for_all, "date plus calendar months, clamped to the month's end"},
    {"month_of", Op::month_of, 1, {B::date, B::date}, t(B::month), for_all, "the month a date falls in"},
    {"first_day", Op::first_day, 1, {B::month, B::month}, t(B::date), for_all, "first day of a month"},
    {"last_day", Op::last_day, 1, {B::month, B::month}, t(B::date), for_all, "last day of a month"},
    {"percent_of", Op::percent_of, 2, {B::fen, B::integer}, t(B::fen), for_all, "amount × percent / 100, rounded down to the fen"},
    {"lookup", Op::lookup, 2, {B::registration_map, B::entity_type}, t(B::text_list), for_all, "the credit-code prefixes allowed for an entity type"},
    {"approved_months", Op::approved_months, 1, {B::scope, B::scope}, t(B::integer), for_wft, "work-for-training months approved for the person (scope person or person_entity), earlier and in this claim"},
    {"month_paid", Op::month_paid, 1, {B::month, B::month}, t(B::boolean), for_wft, "the month was already approved for the person"},
    {"approved", Op::approved_program, 2, {B::program, B::scope}, t(B::boolean), for_wft | for_prejob, "an approval of the program exists for the person (at this entity, scope person_entity)"},
    {"overlapping_class", Op::overlapping_class, 0, {B::date, B::date}, t(B::boolean), for_project, "the trainee was approved in another class whose dates overlap this one"},
    {"identity_consistent", Op::identity_consistent, 0, {B::date, B::date}, t(B::boolean), for_all, "the person's id_number was first recorded with the same name (or never)"},
    {"within_budget", Op::within_budget, 0, {B::date, B::date}, t(B::boolean), for_all, "approving this line keeps the program's budget for the line's year"},
    {"registered", Op::registered, 0, {B::date, B::date}, t(B::boolean), for_all, "the real-name registry holds the person's id_number under exactly the person's name, as of this decision"},
    {"class_filing", Op::class_filing, 1, {B::integer, B::integer}, t(B::filing_finding), for_project, "compares the trainee's line with the filing its claim's project.class_id names, given the lead time in working days: 'ok' or what differs"},
    {"certified", Op::certified, 2, {B::category_set, B::date}, t(B::boolean), for_all, "the registry certifies the person in at least one of the categories on the date"},
};

}  // namespace

std::span<const ContextName> context_names() { return context_table; }
std::span<const FunctionSignature> fixed_functions() { return function_table; }

}  // namespace subsidy::expr
