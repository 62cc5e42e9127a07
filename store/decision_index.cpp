#include "store/decision_index.h"

#include "audit/canonical_json.h"
#include "audit/digest.h"
#include "store/record_format.h"

#include <boost/json/array.hpp>

namespace subsidy::store {
namespace rf = record_format;
namespace {

// A member at a path of objects, as text; nullopt if absent or not a string.
std::optional<std::string> text_at(const boost::json::object& o, std::initializer_list<std::string_view> path) {
  const boost::json::object* at = &o;
  const boost::json::value* v = nullptr;
  for (std::string_view name : path) {
    if (!at) return std::nullopt;
    v = at->if_contains(name);
    if (!v) return std::nullopt;
    at = v->if_object();
  }
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

StoreError missing(std::uint64_t seq, std::string_view what) {
  return store_error(StoreCode::invalid_argument,
                     "record " + std::to_string(seq) + ": the index needs " + std::string(what), seq);
}

// The person, entity and dates every line of a claim shares.
struct ClaimFacts {
  std::string program, entity_code, person, period_start, period_end;
};

Result<ClaimFacts> claim_facts(std::uint64_t seq, const boost::json::object& decision,
                               const boost::json::object& claim) {
  ClaimFacts f;
  auto program = text_at(decision, {"program"});
  auto entity = text_at(claim, {"entity", "credit_code"});
  if (!program) return missing(seq, "\"decision\".\"program\"");
  if (!entity) return missing(seq, "the claim's entity.credit_code");
  f.program = *program;
  f.entity_code = *entity;
  f.person = text_at(claim, {"person", "id_number"}).value_or("");
  std::string_view dates = f.program == "pre_job_training" ? "training" : "project";
  if (f.program != "work_for_training") {
    f.period_start = text_at(claim, {dates, "start"}).value_or("");
    f.period_end = text_at(claim, {dates, "end"}).value_or("");
  }
  if (f.program == "project_training" || f.program == "work_for_training" || f.program == "pre_job_training") return f;
  return store_error(StoreCode::invalid_argument, "record " + std::to_string(seq) + ": unknown program " + f.program,
                     seq);
}

Result<LineRow> line_row(std::uint64_t seq, int index, const std::string& claim_id, const ClaimFacts& f,
                         const boost::json::value& line) {
  const boost::json::object* o = line.if_object();
  auto subject = o ? text_at(*o, {"subject"}) : std::nullopt;
  auto status = o ? text_at(*o, {"status"}) : std::nullopt;
  const boost::json::value* amount = o ? o->if_contains("approved_fen") : nullptr;
  if (!subject || !status || !amount || !amount->is_int64()) {
    return missing(seq, "subject, status and an integer approved_fen on every line");
  }
  LineRow r{seq,     index, claim_id, *subject, f.person, f.program, f.entity_code, *status, amount->get_int64(),
            "",      f.period_start, f.period_end};
  if (f.program == "work_for_training") r.governing_month = *subject;
  if (f.program == "project_training") r.id_number = *subject;
  return r;
}

ClaimRow claim_row(std::uint64_t seq, const std::string& claim_id, const boost::json::object& request) {
  // REQUIRES: request came through seal_record(), so it canonicalizes.
  std::string body = audit::canonical_json(request).value();
  std::string sha = audit::to_hex(audit::hash(audit::HashAlg::sha256, audit::as_bytes(body)));
  return ClaimRow{claim_id, seq, std::move(sha)};
}

}  // namespace

bool is_initial_decision(const boost::json::object& body) {
  auto kind = text_at(body, {rf::decision_field, "kind"});
  return !kind || *kind == "initial";
}

Result<DecisionRows> decision_rows(std::uint64_t seq, const boost::json::object& body,
                                   const boost::json::object& claim_body) {
  const boost::json::object& decision = body.at(rf::decision_field).get_object();
  std::string claim_id(body.at(rf::claim_id_field).get_string());
  Result<ClaimFacts> facts = claim_facts(seq, decision, claim_body);
  if (!facts.ok()) return facts.error();
  const boost::json::value* lines = decision.if_contains("lines");
  if (!lines || !lines->is_array()) return missing(seq, "a \"lines\" array in \"decision\"");
  DecisionRows rows;
  int index = 0;
  for (const boost::json::value& line : lines->get_array()) {
    Result<LineRow> row = line_row(seq, index++, claim_id, facts.value(), line);
    if (!row.ok()) return row.error();
    rows.lines.push_back(std::move(row.value()));
  }
  if (is_initial_decision(body)) rows.claim = claim_row(seq, claim_id, body.at(rf::request_field).get_object());
  return rows;
}

}  // namespace subsidy::store
