#pragma once
// RFC 9457 problem details, the body of every error the API answers (api.md "Errors"):
//   {"type", "title", "status", "detail", "errors": [{"pointer", "message"}]}
// "status" always equals the HTTP status; "errors" is present (possibly empty) so that a client
// can read it without checking; each pointer is a JSON Pointer into the request body.

#include "api/http_types.h"
#include "engine/problem.h"

#include <string>
#include <string_view>

namespace subsidy::api {

// The problem types this API uses, each a URN with a slug per kind of failure.
enum class ProblemKind {
  unparseable,        // 400: not JSON, duplicate key, too deep, invalid UTF-8
  bad_parameter,      // 400: a path or query parameter is malformed
  unauthenticated,    // 401
  forbidden,          // 403
  not_found,          // 404
  method_not_allowed, // 405
  conflict,           // 409
  body_too_large,     // 413
  unsupported_type,   // 415
  invalid,            // 422
  headers_too_large,  // 431
  unavailable,        // 503: overloaded, or the store failed
};

http::status problem_status(ProblemKind kind);
std::string problem_type_uri(ProblemKind kind);  // "urn:subsidy:problem:invalid"

// A response with the problem body; the caller sets version and keep-alive.
Response problem_response(ProblemKind kind, std::string_view detail, const Problems& errors = {});
// 400 for a malformed path or query parameter; detail says which and what it must be.
Response bad_parameter(std::string_view detail);

}  // namespace subsidy::api
