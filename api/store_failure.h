#pragma once
// A store failure on the read side: nothing the client can fix, so it is logged for the operator
// and answered 503 (api.md: a server never answers 500 for anything a client sent).

#include "api/http_types.h"
#include "store/status.h"

#include <string_view>

namespace subsidy::api {

// Logs error to stderr and answers 503 "<what> could not be read; try again".
Response store_failure(const store::StoreError& error, std::string_view what = "the log");

}  // namespace subsidy::api
