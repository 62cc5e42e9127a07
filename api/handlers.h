#pragma once
// The endpoint handlers, each thin: parse, authorize what the role alone cannot (an institution's
// own claims), call the pipeline or a reader, render. The route table (routes.cpp) says who may
// call each.

#include "api/request_context.h"

namespace subsidy::api {

// claim_handlers.cpp
boost::asio::awaitable<Response> post_claim(RequestContext& ctx);
boost::asio::awaitable<Response> post_eligibility(RequestContext& ctx);
boost::asio::awaitable<Response> post_settlement(RequestContext& ctx);
boost::asio::awaitable<Response> post_review(RequestContext& ctx);

// audit_handlers.cpp
boost::asio::awaitable<Response> get_claim(RequestContext& ctx);
boost::asio::awaitable<Response> get_decision(RequestContext& ctx);
boost::asio::awaitable<Response> get_review_queue(RequestContext& ctx);
boost::asio::awaitable<Response> get_audit_log(RequestContext& ctx);
boost::asio::awaitable<Response> get_audit_head(RequestContext& ctx);
boost::asio::awaitable<Response> get_audit_proof(RequestContext& ctx);
boost::asio::awaitable<Response> get_audit_consistency(RequestContext& ctx);

// class_handlers.cpp
boost::asio::awaitable<Response> post_class(RequestContext& ctx);
boost::asio::awaitable<Response> get_class(RequestContext& ctx);

// catalogue_handlers.cpp
boost::asio::awaitable<Response> put_institution(RequestContext& ctx);
boost::asio::awaitable<Response> get_institution(RequestContext& ctx);
boost::asio::awaitable<Response> put_project(RequestContext& ctx);
boost::asio::awaitable<Response> get_project(RequestContext& ctx);
boost::asio::awaitable<Response> put_budget(RequestContext& ctx);
boost::asio::awaitable<Response> get_budgets(RequestContext& ctx);

// registry_handlers.cpp
boost::asio::awaitable<Response> post_registry_import(RequestContext& ctx);

// report_handlers.cpp
boost::asio::awaitable<Response> get_funds_report(RequestContext& ctx);
boost::asio::awaitable<Response> get_targets_report(RequestContext& ctx);

// info_handlers.cpp
boost::asio::awaitable<Response> get_rulesets(RequestContext& ctx);
boost::asio::awaitable<Response> get_ruleset(RequestContext& ctx);
boost::asio::awaitable<Response> get_healthz(RequestContext& ctx);
boost::asio::awaitable<Response> get_metrics(RequestContext& ctx);
boost::asio::awaitable<Response> get_openapi(RequestContext& ctx);

}  // namespace subsidy::api
