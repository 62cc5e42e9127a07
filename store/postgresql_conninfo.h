#pragma once
// Internal to store/: a postgresql:// URI in libpq's keyword/value form. SOCI 4.0's PostgreSQL
// backend rewrites its connect string as keyword=value pairs (to find its own "singlerow"
// option) and mangles a URI on the way, so the store hands it keyword/value text only. libpq
// itself (PQconninfoParse) reads the URI, so every URI libpq accepts works, percent-escapes and
// query parameters included.

#include "store/status.h"

#include <string>

namespace subsidy::store {

// "host='127.0.0.1' port='5432' dbname='x' …", each value single-quoted with ' and \ escaped.
// Errors: invalid_argument with libpq's message (never the URI, which may hold a password).
Result<std::string> postgresql_keyword_form(const std::string& uri);

}  // namespace subsidy::store
