// The catalogue the decisions are made against (api.md "Catalogue entries", budgets):
//   PUT/GET /v1/catalogue/institutions/{credit_code}, PUT/GET /v1/catalogue/projects/{code},
//   PUT /v1/budgets/{program}/{year}, GET /v1/budgets.
// A PUT is parsed here with the engine's parser, built into a catalogue or budget record
// (store/catalogue_records.h) carrying the admin's token id, and logged through the decision
// pipeline, so that it takes its place in seq order and every later decision sees it.
//
// The GETs load the catalogue from the store's projection tables on a read connection, per
// request (store/catalogue_reader.h): the catalogue is small and these reads are rare, and it is
// exactly what the next decision will see once every accepted PUT is committed.

#include "api/decision_view.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/pipeline_call.h"
#include "api/problem_response.h"
#include "api/store_failure.h"
#include "api/query_string.h"
#include "engine/catalogue_parser.h"
#include "engine/claim.h"
#include "engine/identity.h"
#include "engine/limits.h"
#include "engine/json_fields.h"
#include "store/catalogue_records.h"
#include "store/store_catalogue.h"

#include <boost/json/array.hpp>

#include <limits>
#include <string>

namespace subsidy::api {

namespace {

namespace json = boost::json;

using limits::budget_year_max;
using limits::budget_year_min;
// As in a catalogue file (engine/catalogue_parser.cpp): far from overflowing any sum of budgets.
inline constexpr std::int64_t budget_fen_max = std::numeric_limits<std::int64_t>::max() / 4;

Response catalogue_failure(const store::StoreError& error) { return store_failure(error, "the catalogue"); }

store::Result<std::unique_ptr<store::StoreCatalogue>> load_catalogue(RequestContext& ctx) {
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) return lease.error();
  return lease.value()->catalogue->load();
}

Response invalid(std::string_view detail, const Problems& problems) {
  return problem_response(ProblemKind::invalid, detail, problems);
}

// The stored record of a catalogue put as the API shows an entry: its key, the entry's members,
// and the seq of the record (when the reply has one).
json::object entry_view(std::string_view key_name, const json::object& record) {
  json::object out;
  if (const json::value* key = record.if_contains("key")) out[key_name] = *key;
  if (const json::value* entry = record.if_contains("entry"); entry && entry->is_object()) {
    for (const auto& [name, value] : entry->get_object()) out[name] = value;
  }
  if (const json::value* seq = record.if_contains("seq")) out["seq"] = *seq;
  return out;
}

json::object budget_view(const json::object& record) {
  json::object out;
  for (std::string_view name : {"program", "year", "amount_fen", "seq"}) {
    if (const json::value* v = record.if_contains(name)) out[name] = *v;
  }
  return out;
}

// Logs record through the pipeline; a logged record is answered 200 when it replaced an entry
// (the sequencer says, in seq order), 201 when it is new, with view(the stored record) as body.
template <class View>
boost::asio::awaitable<Response> append(RequestContext& ctx, store::NewRecord record, View view) {
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) { return pipeline->try_append_event(std::move(record), std::move(done)); };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  if (!reply) co_return queue_full(ctx.services);
  switch (reply->outcome) {
    case PipelineOutcome::created: {
      store::Result<json::object> body = reply_body(*reply);
      if (!body.ok()) break;
      co_return json_response(reply->replaced ? http::status::ok : http::status::created, view(body.value()));
    }
    case PipelineOutcome::invalid:
      co_return invalid(reply->detail.empty() ? "the entry is not valid" : reply->detail, reply->problems);
    default: break;
  }
  co_return problem_response(ProblemKind::unavailable,
                             reply->detail.empty() ? "the store failed; nothing was stored" : reply->detail);
}

// A code given both in the path and in the body must be the same.
void check_same_code(const json::value& body, std::string_view name, std::string_view path_code, Problems& problems) {
  const json::value* code = body.is_object() ? body.get_object().if_contains(name) : nullptr;
  if (code && code->is_string() && code->get_string() != path_code) {
    add_problem(problems, pointer_append("", name), "must be the code in the path, or absent");
  }
}

}  // namespace

boost::asio::awaitable<Response> put_institution(RequestContext& ctx) {
  const std::string& credit_code = ctx.params.at(0);
  if (auto why = credit_code_problem(credit_code)) {
    co_return invalid("the credit code in the path is not valid: " + std::string(*why),
                      {{"", "the credit code in the path " + std::string(*why)}});
  }
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  const json::value& document = std::get<json::value>(body);
  auto parsed = parse_institution_entry(document, credit_code);
  if (auto* problems = std::get_if<Problems>(&parsed)) co_return invalid("the institution entry is not valid", *problems);
  Problems mismatch;
  check_same_code(document, "credit_code", credit_code, mismatch);
  if (!mismatch.empty()) co_return invalid("the institution entry is not valid", mismatch);
  store::NewRecord record = store::institution_record(std::get<InstitutionEntry>(parsed), ctx.principal->token_id, "");
  co_return co_await append(ctx, std::move(record),
                            [](const json::object& r) { return entry_view("credit_code", r); });
}

boost::asio::awaitable<Response> put_project(RequestContext& ctx) {
  const std::string& code = ctx.params.at(0);
  Problems path_problems;
  read_identifier(json::value(code), "", ClaimLimits::project_code_chars_max, path_problems);
  if (!path_problems.empty()) {
    co_return invalid("the project code in the path is not valid: " + path_problems.front().message, path_problems);
  }
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  const json::value& document = std::get<json::value>(body);
  auto parsed = parse_project_entry(document, code);
  if (auto* problems = std::get_if<Problems>(&parsed)) co_return invalid("the project entry is not valid", *problems);
  Problems mismatch;
  check_same_code(document, "code", code, mismatch);
  if (!mismatch.empty()) co_return invalid("the project entry is not valid", mismatch);
  store::NewRecord record = store::project_record(std::get<ProjectEntry>(parsed), ctx.principal->token_id, "");
  co_return co_await append(ctx, std::move(record),
                            [](const json::object& r) { return entry_view("code", r); });
}

boost::asio::awaitable<Response> get_institution(RequestContext& ctx) {
  const std::string& credit_code = ctx.params.at(0);
  auto catalogue = load_catalogue(ctx);
  if (!catalogue.ok()) co_return catalogue_failure(catalogue.error());
  const InstitutionEntry* entry = catalogue.value()->any_institution(credit_code);
  if (entry == nullptr) co_return problem_response(ProblemKind::not_found, "no institution has this credit code");
  // The entry exactly as a PUT logs it.
  co_return json_response(http::status::ok, entry_view("credit_code", store::institution_record(*entry, "", "").body));
}

boost::asio::awaitable<Response> get_project(RequestContext& ctx) {
  const std::string& code = ctx.params.at(0);
  auto catalogue = load_catalogue(ctx);
  if (!catalogue.ok()) co_return catalogue_failure(catalogue.error());
  const ProjectEntry* entry = catalogue.value()->any_project(code);
  if (entry == nullptr) co_return problem_response(ProblemKind::not_found, "no project has this code");
  co_return json_response(http::status::ok, entry_view("code", store::project_record(*entry, "", "").body));
}

boost::asio::awaitable<Response> put_budget(RequestContext& ctx) {
  Problems problems;
  std::optional<Program> program = parse_enum<Program>(ctx.params.at(0));
  if (!program) {
    add_problem(problems, "", "the program in the path must be work_for_training, pre_job_training or project_training");
  }
  std::optional<std::uint64_t> year = parse_u64(ctx.params.at(1));
  if (!year || *year < budget_year_min || *year > budget_year_max) {
    add_problem(problems, "", "the year in the path must be from " + std::to_string(budget_year_min) + " to " +
                                  std::to_string(budget_year_max));
  }
  if (!problems.empty()) co_return invalid(problems.front().message, problems);
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  ObjectFields fields(std::get<json::value>(body), "", problems);
  std::optional<std::int64_t> amount;
  if (const json::value* v = fields.required("amount_fen")) {
    if (v->is_int64() && v->get_int64() >= 0 && v->get_int64() <= budget_fen_max) amount = v->get_int64();
    else if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(budget_fen_max)) {
      amount = static_cast<std::int64_t>(v->get_uint64());
    } else {
      add_problem(problems, "/amount_fen", "must be an integer from 0 to " + std::to_string(budget_fen_max));
    }
  }
  fields.finish();
  if (!problems.empty()) co_return invalid("the budget is not valid", problems);
  store::NewRecord record =
      store::budget_record(*program, static_cast<int>(*year), Fen(*amount), ctx.principal->token_id, "");
  co_return co_await append(ctx, std::move(record), budget_view);
}

boost::asio::awaitable<Response> get_budgets(RequestContext& ctx) {
  auto catalogue = load_catalogue(ctx);
  if (!catalogue.ok()) co_return catalogue_failure(catalogue.error());
  json::array list;
  for (const auto& [program, year, amount] : catalogue.value()->budgets()) {
    list.emplace_back(json::object{{"program", name_of(program)}, {"year", year}, {"amount_fen", amount.value()}});
  }
  co_return json_response(http::status::ok, json::object{{"budgets", std::move(list)}});
}

}  // namespace subsidy::api
