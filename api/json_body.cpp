#include "api/json_body.h"

#include "api/problem_response.h"
#include "engine/json_reader.h"

#include <boost/beast/core/string.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

namespace subsidy::api {

bool has_media_type(const Request& request, std::string_view type) {
  auto it = request.find(http::field::content_type);
  if (it == request.end()) return false;
  std::string_view media = it->value().substr(0, it->value().find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  return boost::beast::iequals(media, type);
}

std::variant<boost::json::value, Response> read_json_body(const Request& request) {
  if (!has_media_type(request, json_type)) {
    return problem_response(ProblemKind::unsupported_type, "the body must be application/json");
  }
  // A body's values live and die together (the request, or the batch that decides it): one
  // arena of about three times the text's size holds them, not a heap block per value.
  const std::string& text = request.body();
  auto parsed = read_json(text, boost::json::make_shared_resource<boost::json::monotonic_resource>(3 * text.size() + 256));
  if (auto* error = std::get_if<JsonSyntaxError>(&parsed)) {
    Problems where;
    if (!error->pointer.empty()) where.push_back({error->pointer, error->message});
    return problem_response(ProblemKind::unparseable,
                            "not a JSON document: " + error->message + " at byte " + std::to_string(error->offset),
                            where);
  }
  return std::get<boost::json::value>(std::move(parsed));
}

Response json_response(http::status status, const boost::json::value& body) {
  return json_text_response(status, boost::json::serialize(body));
}

Response json_text_response(http::status status, std::string text) {
  Response response{status, 11};
  response.set(http::field::content_type, json_type);
  response.body() = std::move(text);
  response.prepare_payload();
  return response;
}

}  // namespace subsidy::api
