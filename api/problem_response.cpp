#include "api/problem_response.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace subsidy::api {

namespace {

std::string_view slug(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::unparseable: return "unparseable";
    case ProblemKind::bad_parameter: return "bad-parameter";
    case ProblemKind::unauthenticated: return "unauthenticated";
    case ProblemKind::forbidden: return "forbidden";
    case ProblemKind::not_found: return "not-found";
    case ProblemKind::method_not_allowed: return "method-not-allowed";
    case ProblemKind::conflict: return "conflict";
    case ProblemKind::body_too_large: return "body-too-large";
    case ProblemKind::unsupported_type: return "unsupported-media-type";
    case ProblemKind::invalid: return "invalid";
    case ProblemKind::headers_too_large: return "headers-too-large";
    case ProblemKind::unavailable: return "unavailable";
  }
  return "unavailable";
}

}  // namespace

http::status problem_status(ProblemKind kind) {
  switch (kind) {
    case ProblemKind::unparseable: return http::status::bad_request;
    case ProblemKind::bad_parameter: return http::status::bad_request;
    case ProblemKind::unauthenticated: return http::status::unauthorized;
    case ProblemKind::forbidden: return http::status::forbidden;
    case ProblemKind::not_found: return http::status::not_found;
    case ProblemKind::method_not_allowed: return http::status::method_not_allowed;
    case ProblemKind::conflict: return http::status::conflict;
    case ProblemKind::body_too_large: return http::status::payload_too_large;
    case ProblemKind::unsupported_type: return http::status::unsupported_media_type;
    case ProblemKind::invalid: return http::status::unprocessable_entity;
    case ProblemKind::headers_too_large: return http::status::request_header_fields_too_large;
    case ProblemKind::unavailable: return http::status::service_unavailable;
  }
  return http::status::service_unavailable;
}

std::string problem_type_uri(ProblemKind kind) { return "urn:subsidy:problem:" + std::string(slug(kind)); }

Response problem_response(ProblemKind kind, std::string_view detail, const Problems& errors) {
  http::status status = problem_status(kind);
  boost::json::array list;
  for (const Problem& p : errors) list.push_back(boost::json::object{{"pointer", p.pointer}, {"message", p.message}});
  boost::json::object body{{"type", problem_type_uri(kind)},
                           {"title", std::string(http::obsolete_reason(status))},
                           {"status", static_cast<int>(status)},
                           {"detail", detail},
                           {"errors", std::move(list)}};
  Response response{status, 11};
  response.set(http::field::content_type, problem_type);
  response.body() = boost::json::serialize(body);
  response.prepare_payload();
  return response;
}

Response bad_parameter(std::string_view detail) { return problem_response(ProblemKind::bad_parameter, detail); }

}  // namespace subsidy::api
