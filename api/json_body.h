#pragma once
// Reading a request body as JSON, strictly (engine/json_reader.h): the body, or the problem to
// answer instead — 415 unless Content-Type is application/json (parameters such as charset
// allowed), 400 for text that is not one JSON value (the detail names the byte offset; a duplicate
// key also has its pointer in "errors").

#include "api/http_types.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <variant>

namespace subsidy::api {

std::variant<boost::json::value, Response> read_json_body(const Request& request);

// Whether the request's Content-Type is type (case-insensitive; parameters such as charset allowed).
bool has_media_type(const Request& request, std::string_view type);

// A JSON response (application/json) with that status.
Response json_response(http::status status, const boost::json::value& body);
// The same, of text that is already JSON.
Response json_text_response(http::status status, std::string text);

}  // namespace subsidy::api
