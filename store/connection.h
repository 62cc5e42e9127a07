#pragma once
// Which database a store uses, from one setting, and the SOCI session onto it.
//
//   sqlite:///var/lib/subsidy/log.db   SQLite file (absolute path after the third slash)
//   /var/lib/subsidy/log.db            the same: a plain path means SQLite
//   postgresql://user@host:port/db?…   PostgreSQL: any URI libpq accepts (parsed by libpq itself)
//   postgres://…                        the same
//
// SQLite sessions are set up for durability before anything is read: WAL journal,
// synchronous=FULL (a commit is on disk before it returns), foreign keys enforced, and a busy
// timeout so that a second process waits for the writer instead of failing at once.

#include "store/status.h"

#include <memory>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace subsidy::store {

enum class Backend { sqlite, postgresql };

// SQLite waits this long for another connection's write lock before giving up with SQLITE_BUSY.
inline constexpr int sqlite_busy_timeout_ms = 10'000;
// A setting longer than this is refused before it reaches a driver.
inline constexpr std::size_t connection_url_chars_max = 4096;

struct ConnectionSetting {
  Backend backend = Backend::sqlite;
  std::string target;  // SQLite: the file path; PostgreSQL: the URI, unchanged
};

// Errors (invalid_argument): empty or too long; an unknown scheme ("mysql://…"); an SQLite path
// with whitespace, quotes or '=' (SOCI's SQLite connect string cannot carry them).
Result<ConnectionSetting> parse_connection_url(std::string_view url);

std::string_view backend_name(Backend backend);

// An open session onto setting, configured as above. Errors: invalid_argument (a URI libpq
// cannot parse); database_error (cannot connect, cannot set WAL), naming the backend but never
// the password of a URI.
Result<std::unique_ptr<soci::session>> open_session(const ConnectionSetting& setting);
// parse_connection_url() then open_session(): for readers that need no migration (the schema is
// brought up to date by whoever opens the log to write). Errors: those of both.
Result<std::unique_ptr<soci::session>> open_session(std::string_view url);

}  // namespace subsidy::store
