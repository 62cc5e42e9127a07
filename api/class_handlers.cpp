// POST /v1/classes and GET /v1/classes/{class_id} (registry.md §2): a class filed with the
// provincial training information system (开班备案). The filing is read strictly here; the
// pipeline logs it in seq order with the decisions, so every later decision sees it, and answers
// the same filing again with the first one.

#include "api/claim_id.h"
#include "api/decision_view.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/pipeline_call.h"
#include "api/problem_response.h"
#include "engine/class_filing_parser.h"

#include <optional>
#include <string>

namespace subsidy::api {

namespace {

namespace json = boost::json;

// {seq, decided_at, class_id, …, roster} of a stored class_filing record (or a test pipeline's).
std::optional<json::object> filing_view(const PipelineReply& reply) {
  store::Result<json::object> record = reply_body(reply);
  if (!record.ok()) return std::nullopt;
  const json::value* seq = record.value().if_contains("seq");
  const json::value* filing = record.value().if_contains("filing");
  if (seq == nullptr || filing == nullptr || !filing->is_object()) return std::nullopt;
  json::object view{{"seq", *seq}};
  if (const json::value* at = record.value().if_contains("decided_at")) view["decided_at"] = *at;
  for (const auto& member : filing->get_object()) view[member.key()] = member.value();
  return view;
}

Response own_only() {
  return problem_response(ProblemKind::forbidden, "an institution may only file its own classes",
                          {{"/credit_code", "not the credit code this token is bound to"}});
}

}  // namespace

boost::asio::awaitable<Response> post_class(RequestContext& ctx) {
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  auto parsed = parse_class_filing(std::get<json::value>(body));
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    co_return problem_response(ProblemKind::invalid, "the class filing is not valid; nothing was filed", *problems);
  }
  ClassFiling& filing = std::get<ClassFiling>(parsed);
  if (ctx.principal->role == Role::institution && filing.credit_code.view() != ctx.principal->credit_code) {
    co_return own_only();
  }
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) {
    return pipeline->try_file_class(std::move(filing), ctx.principal->token_id, std::move(done));
  };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  if (!reply) co_return queue_full(ctx.services);
  switch (reply->outcome) {
    case PipelineOutcome::created:
    case PipelineOutcome::existing:
      if (std::optional<json::object> view = filing_view(*reply)) {
        co_return json_response(reply->outcome == PipelineOutcome::created ? http::status::created : http::status::ok,
                                *view);
      }
      break;
    case PipelineOutcome::conflict: co_return problem_response(ProblemKind::conflict, reply->detail, reply->problems);
    case PipelineOutcome::invalid:
      co_return problem_response(ProblemKind::invalid, reply->detail.empty() ? "the filing is not valid" : reply->detail,
                                 reply->problems);
    default: break;
  }
  co_return problem_response(ProblemKind::unavailable,
                             reply->detail.empty() ? "the store failed; nothing was filed" : reply->detail);
}

boost::asio::awaitable<Response> get_class(RequestContext& ctx) {
  const std::string& class_id = ctx.params.at(0);
  if (!is_claim_id(class_id)) co_return problem_response(ProblemKind::not_found, "no class is filed under this class_id");
  DecisionPipeline::ClassFilingLookup found = ctx.services.pipeline->find_class_filing(class_id);
  if (!found.available) co_return problem_response(ProblemKind::unavailable, "the server cannot read its log; try again later");
  if (!found.entry) co_return problem_response(ProblemKind::not_found, "no class is filed under this class_id");
  const ClassFiling& filing = found.entry->filing;
  if (ctx.principal->role == Role::institution && filing.credit_code.view() != ctx.principal->credit_code) {
    co_return problem_response(ProblemKind::forbidden, "an institution may only read its own classes");
  }
  json::object view{{"seq", found.entry->seq}};
  for (const auto& member : class_filing_json(filing)) view[member.key()] = member.value();
  co_return json_response(http::status::ok, view);
}

}  // namespace subsidy::api
