// The loaded rulesets, liveness, metrics and the API document.

#include "api/handlers.h"
#include "api/json_body.h"
#include "api/problem_response.h"
#include "engine/calendar.h"
#include "engine/json_reader.h"

#include <boost/json/array.hpp>

namespace subsidy::api {

namespace {

namespace json = boost::json;

json::object ruleset_summary(const Ruleset& r) {
  return json::object{{"id", r.id},
                      {"version", r.version},
                      {"title", r.title},
                      {"extends", r.extends.empty() ? json::value(nullptr) : json::value(r.extends)},
                      {"effective_from", format_date(r.effective_from)},
                      {"effective_to", format_date(r.effective_to)},
                      {"sha256", r.sha256},
                      {"source", r.source_document}};
}

}  // namespace

boost::asio::awaitable<Response> get_rulesets(RequestContext& ctx) {
  json::array list;
  for (const auto& r : ctx.services.rulesets->all()) list.push_back(ruleset_summary(*r));
  co_return json_response(http::status::ok, json::object{{"rulesets", std::move(list)}});
}

// The summary and, under "document", the ruleset file as loaded (its text is what the sha256 covers).
boost::asio::awaitable<Response> get_ruleset(RequestContext& ctx) {
  const Ruleset* r = ctx.services.rulesets->find(ctx.params.at(0));
  if (r == nullptr) co_return problem_response(ProblemKind::not_found, "no ruleset with this id is loaded");
  json::object out = ruleset_summary(*r);
  auto document = read_json(r->text);
  if (auto* value = std::get_if<json::value>(&document)) out["document"] = std::move(*value);
  co_return json_response(http::status::ok, out);
}

boost::asio::awaitable<Response> get_healthz(RequestContext&) {
  co_return json_response(http::status::ok, json::object{{"status", "ok"}});
}

boost::asio::awaitable<Response> get_metrics(RequestContext& ctx) {
  const Services& s = ctx.services;
  std::vector<std::pair<std::string, double>> gauges = {
      {"subsidy_decision_queue_depth", static_cast<double>(s.pipeline->queue_depth())},
      {"subsidy_http_open_connections", static_cast<double>(s.open_connections.load())}};
  Response response{http::status::ok, ctx.request.version()};
  response.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
  response.body() = s.metrics->render(gauges);
  response.prepare_payload();
  co_return response;
}

boost::asio::awaitable<Response> get_openapi(RequestContext& ctx) {
  Response response{http::status::ok, ctx.request.version()};
  response.set(http::field::content_type, json_type);
  response.body() = ctx.services.openapi_json;
  response.prepare_payload();
  co_return response;
}

}  // namespace subsidy::api
