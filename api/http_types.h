#pragma once
// The HTTP message types of the API: whole requests and responses with string bodies (every body
// the API reads or writes is small enough to hold in memory; the limits are in settings.h).

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace subsidy::api {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

inline constexpr const char* json_type = "application/json";
inline constexpr const char* problem_type = "application/problem+json";
inline constexpr const char* ndjson_type = "application/x-ndjson";

}  // namespace subsidy::api
