// POST /v1/claims, /v1/eligibility, /v1/claims/{claim_id}/settlement and .../review: the body is read strictly
// here, on the HTTP thread; validation and deciding happen in the pipeline.

#include "api/claim_id.h"
#include "api/decision_view.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/pipeline_call.h"
#include "api/problem_response.h"

#include <boost/json/value.hpp>

#include <string>

namespace subsidy::api {

namespace {

namespace json = boost::json;

Response render(const std::optional<PipelineReply>& reply, const Services& services) {
  if (!reply) return queue_full(services);
  switch (reply->outcome) {
    case PipelineOutcome::created:
    case PipelineOutcome::existing:
    case PipelineOutcome::checked: {
      if (reply->outcome == PipelineOutcome::checked && !reply->text.empty()) {
        return json_text_response(http::status::ok, reply->text);
      }
      // A decision is answered from its record's text as it is, without parsing the record.
      if (std::optional<DecisionViewText> view = reply->record ? decision_view_text(*reply->record) : std::nullopt) {
        if (reply->outcome != PipelineOutcome::created) return json_text_response(http::status::ok, std::move(view->text));
        services.metrics->decision(view->outcome);
        return json_text_response(http::status::created, std::move(view->text));
      }
      store::Result<json::object> body = reply_body(*reply);  // rendered here, not on the sequencer
      if (!body.ok()) return problem_response(ProblemKind::unavailable, "the stored decision cannot be read: " + body.error().message);
      if (reply->outcome != PipelineOutcome::created) return json_response(http::status::ok, body.value());
      if (const json::value* outcome = body.value().if_contains("outcome"); outcome && outcome->is_string()) {
        services.metrics->decision(outcome->get_string());
      }
      return json_response(http::status::created, body.value());
    }
    case PipelineOutcome::invalid:
      return problem_response(ProblemKind::invalid, reply->detail.empty() ? "the request is not valid" : reply->detail,
                              reply->problems);
    case PipelineOutcome::not_found: return problem_response(ProblemKind::not_found, reply->detail, reply->problems);
    case PipelineOutcome::conflict: return problem_response(ProblemKind::conflict, reply->detail, reply->problems);
    case PipelineOutcome::unavailable: break;
  }
  return problem_response(ProblemKind::unavailable,
                          reply->detail.empty() ? "the store failed; nothing was stored" : reply->detail);
}

// An institution may only check claims of its own entity. A body without a string
// entity.credit_code is left to the pipeline, which answers 422 for it without deciding anything.
bool foreign_entity(const Principal& principal, const json::value& body) {
  if (principal.role != Role::institution) return false;
  const json::object* claim = body.if_object();
  const json::value* entity = claim ? claim->if_contains("entity") : nullptr;
  const json::value* code = entity && entity->is_object() ? entity->get_object().if_contains("credit_code") : nullptr;
  if (code == nullptr || !code->is_string()) return false;
  return code->get_string() != principal.credit_code;
}

// A settlement or a review: a request about the claim the path names.
boost::asio::awaitable<Response> post_follow_up(RequestContext& ctx, FollowUpKind kind) {
  const std::string& claim_id = ctx.params.at(0);
  if (!is_claim_id(claim_id)) co_return problem_response(ProblemKind::not_found, "no claim has this claim_id");
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) {
    return pipeline->try_submit_follow_up(kind, claim_id, std::move(std::get<json::value>(body)),
                                          ctx.principal->token_id, std::move(done));
  };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  co_return render(reply, ctx.services);
}

}  // namespace

boost::asio::awaitable<Response> post_claim(RequestContext& ctx) {
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) {
    return pipeline->try_submit_claim(std::move(std::get<json::value>(body)), ctx.principal->token_id, std::move(done));
  };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  co_return render(reply, ctx.services);
}

boost::asio::awaitable<Response> post_eligibility(RequestContext& ctx) {
  auto body = read_json_body(ctx.request);
  if (auto* problem = std::get_if<Response>(&body)) co_return std::move(*problem);
  if (foreign_entity(*ctx.principal, std::get<json::value>(body))) {
    co_return problem_response(ProblemKind::forbidden, "an institution may only check claims of its own entity",
                               {{"/entity/credit_code", "not the credit code this token is bound to"}});
  }
  DecisionPipeline* pipeline = ctx.services.pipeline;
  auto submit = [&](DecisionPipeline::Done done) {
    return pipeline->try_check(std::move(std::get<json::value>(body)), std::move(done));
  };
  auto reply = co_await call_pipeline(submit);  // a named lambda: see pipeline_call.h on GCC 12
  co_return render(reply, ctx.services);
}

boost::asio::awaitable<Response> post_settlement(RequestContext& ctx) {
  co_return co_await post_follow_up(ctx, FollowUpKind::settlement);
}

boost::asio::awaitable<Response> post_review(RequestContext& ctx) {
  co_return co_await post_follow_up(ctx, FollowUpKind::review);
}

}  // namespace subsidy::api
