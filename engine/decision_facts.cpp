#include "engine/decision_facts.h"

#include "engine/calendar.h"

#include <boost/json/array.hpp>

#include <algorithm>
#include <string>

namespace subsidy {
namespace {

namespace json = boost::json;

// Collects the first problem and stops reading (one precise error is what a corrupt log needs).
class Reader {
 public:
  bool failed() const { return !status_.ok(); }
  EvalStatus status() const { return status_; }

  void fail(std::string pointer, std::string message) {
    if (failed()) return;
    status_ = {EvalCode::invalid_input, "the logged decision is malformed", {{std::move(pointer), std::move(message)}}};
  }

  template <std::size_t N>
  std::optional<std::size_t> name(const json::object& o, std::string_view member, const std::array<std::string_view, N>& names,
                                  const std::string& at) {
    const json::value* v = o.if_contains(member);
    if (v != nullptr && v->is_string()) {
      auto it = std::find(names.begin(), names.end(), std::string_view(v->get_string()));
      if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
    }
    fail(at + "/" + std::string(member), "not one of the known names");
    return std::nullopt;
  }

  Fen fen(const json::object& o, std::string_view member, const std::string& at) {
    const json::value* v = o.if_contains(member);
    if (v != nullptr && v->is_int64()) return Fen(v->get_int64());
    if (v != nullptr && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return Fen(static_cast<std::int64_t>(v->get_uint64()));
    }
    fail(at + "/" + std::string(member), "not an integer amount of fen");
    return Fen(0);
  }

  const json::array* array(const json::object& o, std::string_view member, const std::string& at) {
    const json::value* v = o.if_contains(member);
    if (v != nullptr && v->is_array()) return &v->get_array();
    fail(at + "/" + std::string(member), "not an array");
    return nullptr;
  }

 private:
  EvalStatus status_;
};

}  // namespace

std::optional<Date> governing_date(const Claim& claim, const Subject& subject) {
  switch (claim.program) {
    case Program::work_for_training: {
      std::optional<Month> m = parse_month(subject.view());
      if (!m || std::find(claim.months.begin(), claim.months.end(), *m) == claim.months.end()) return std::nullopt;
      return m->last_day();
    }
    case Program::pre_job_training:
      if (subject.view() != "claim" || !claim.training) return std::nullopt;
      return claim.training->start;
    case Program::project_training: {
      if (!claim.project || !claim.project->period) return std::nullopt;
      bool trainee = std::any_of(claim.trainees.begin(), claim.trainees.end(),
                                 [&](const Person& t) { return t.id_number.view() == subject.view(); });
      if (!trainee) return std::nullopt;
      return claim.project->period->start;
    }
  }
  return std::nullopt;
}

EvalStatus decision_facts_from_json(const json::object& d, const Claim& claim, Decision& out) {
  out.clear();
  Reader r;
  const json::value* claim_id = d.if_contains("claim_id");
  if (claim_id == nullptr || !claim_id->is_string()) r.fail("/claim_id", "not a string");
  else out.claim_id = std::string(claim_id->get_string());
  if (auto program = r.name(d, "program", program_names, "")) out.program = static_cast<Program>(*program);
  if (!r.failed() && out.program != claim.program) r.fail("/program", "not the claim's program");
  if (auto kind = r.name(d, "kind", decision_kind_names, "")) out.kind = static_cast<DecisionKind>(*kind);
  if (auto outcome = r.name(d, "outcome", outcome_names, "")) out.outcome = static_cast<Outcome>(*outcome);
  out.requested = r.fen(d, "requested_fen", "");
  out.approved = r.fen(d, "approved_fen", "");
  if (const json::array* lines = r.array(d, "lines", "")) {
    out.lines.reserve(lines->size());
    for (std::size_t i = 0; i < lines->size() && !r.failed(); ++i) {
      std::string at = "/lines/" + std::to_string(i);
      const json::object* lo = (*lines)[i].if_object();
      if (lo == nullptr) {
        r.fail(at, "not an object");
        break;
      }
      const json::value* subject = lo->if_contains("subject");
      if (subject == nullptr || !subject->is_string() || subject->get_string().size() > Subject::chars_max) {
        r.fail(at + "/subject", "not a subject");
        break;
      }
      DecisionLine line;
      line.subject = Subject(std::string_view(subject->get_string()));
      std::optional<Date> date = governing_date(claim, line.subject);
      if (!date) {
        r.fail(at + "/subject", "not a line of claim " + claim.claim_id);
        break;
      }
      line.governing_date = *date;
      if (auto status = r.name(*lo, "status", line_status_names, at)) line.status = static_cast<LineStatus>(*status);
      line.requested = r.fen(*lo, "requested_fen", at);
      line.approved = r.fen(*lo, "approved_fen", at);
      out.lines.push_back(line);
    }
  }
  if (const json::array* ds = r.array(d, "disbursements", "")) {
    for (std::size_t i = 0; i < ds->size() && !r.failed(); ++i) {
      std::string at = "/disbursements/" + std::to_string(i);
      const json::object* xo = (*ds)[i].if_object();
      if (xo == nullptr) {
        r.fail(at, "not an object");
        break;
      }
      Disbursement x;
      if (auto kind = r.name(*xo, "kind", disbursement_kind_names, at)) x.kind = static_cast<DisbursementKind>(*kind);
      x.amount = r.fen(*xo, "amount_fen", at);
      out.disbursements.push_back(x);
    }
  }
  out.claim_hits_begin = 0;
  return r.status();
}

}  // namespace subsidy
