#include "history_compare.h"

#include "engine/calendar.h"

namespace subsidy::store::test {
namespace {

std::string period_text(const Period& p) { return format_date(p.start) + ".." + format_date(p.end); }

std::string person_text(const Person& p) { return p.id_number.str() + " " + p.name; }

// The claim members a settlement reads, as text (Claim has no operator==).
std::string claim_text(const Claim& c) {
  std::string out = c.claim_id + " " + std::string(name_of(c.program)) + " " + format_date(c.submitted_on) + " " +
                    c.entity.credit_code.str() + " " + c.entity.name;
  if (c.project) out += " " + c.project->code + (c.project->period ? " " + period_text(*c.project->period) : "");
  for (const Person& t : c.trainees) out += " [" + person_text(t) + " " + std::to_string(t.categories.bits()) + "]";
  out += " evidence " + std::to_string(c.evidence.size()) + " " + std::to_string(c.evidence_kinds.bits());
  return out;
}

}  // namespace

std::string person_difference(const PersonHistory* e, const PersonHistory* a) {
  if (!e || !a) return (e == nullptr) == (a == nullptr) ? "" : e ? "missing person" : "unexpected person";
  if (e->first_name != a->first_name || e->first_name_seq != a->first_name_seq) {
    return "first name " + e->first_name + "@" + std::to_string(e->first_name_seq) + " vs " + a->first_name + "@" +
           std::to_string(a->first_name_seq);
  }
  if (e->wft_months.size() != a->wft_months.size()) {
    return "wft months " + std::to_string(e->wft_months.size()) + " vs " + std::to_string(a->wft_months.size());
  }
  for (std::size_t i = 0; i < e->wft_months.size(); ++i) {
    const ApprovedMonth &x = e->wft_months[i], &y = a->wft_months[i];
    if (x.month != y.month || x.entity != y.entity || x.seq != y.seq) {
      return "wft month " + std::to_string(i) + ": " + x.month.to_string() + "@" + std::to_string(x.seq) + " vs " +
             y.month.to_string() + "@" + std::to_string(y.seq);
    }
  }
  if (e->approvals.size() != a->approvals.size()) {
    return "approvals " + std::to_string(e->approvals.size()) + " vs " + std::to_string(a->approvals.size());
  }
  for (std::size_t i = 0; i < e->approvals.size(); ++i) {
    const ProgramApproval &x = e->approvals[i], &y = a->approvals[i];
    if (x.program != y.program || x.entity != y.entity || x.seq != y.seq || x.claim_id != y.claim_id ||
        period_text(x.period) != period_text(y.period)) {
      return "approval " + std::to_string(i) + ": " + x.claim_id + "@" + std::to_string(x.seq) + " vs " + y.claim_id +
             "@" + std::to_string(y.seq);
    }
  }
  return "";
}

std::string claim_difference(const ClaimHistory* e, const ClaimHistory* a) {
  if (!e || !a) return (e == nullptr) == (a == nullptr) ? "" : e ? "missing claim" : "unexpected claim";
  if (claim_text(e->claim) != claim_text(a->claim)) return "claim " + claim_text(e->claim) + " vs " + claim_text(a->claim);
  if (e->initial_seq != a->initial_seq) return "initial_seq";
  if (e->disbursed != a->disbursed) return "disbursed " + std::to_string(e->disbursed.value()) + " vs " + std::to_string(a->disbursed.value());
  if (e->settled != a->settled) return "settled";
  if (e->lines.size() != a->lines.size()) return "lines";
  for (std::size_t i = 0; i < e->lines.size(); ++i) {
    const ClaimLineRecord &x = e->lines[i], &y = a->lines[i];
    if (x.subject != y.subject || x.id_number != y.id_number || x.approved != y.approved || x.held != y.held || x.amount != y.amount) {
      return "line " + std::to_string(i);
    }
  }
  return "";
}

}  // namespace subsidy::store::test
