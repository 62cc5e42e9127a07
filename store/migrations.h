#pragma once
// Versioned schema migrations (store/RECORD_FORMAT.md, "Tables"). Each migration has a
// version number, a name and its statements, written once per backend where SQLite and
// PostgreSQL differ. apply_migrations() runs at start-up inside one write transaction: it
// creates schema_version if absent, applies every migration newer than the stored version in
// order, records each, and commits; on any failure nothing is applied. Running it again on an
// up-to-date database changes nothing.

#include "store/connection.h"
#include "store/status.h"

#include <span>
#include <string_view>

namespace soci {
class session;
}

namespace subsidy::store {

// One statement; postgresql empty means the SQLite text serves both.
struct MigrationStatement {
  std::string_view sqlite;
  std::string_view postgresql;
};

struct Migration {
  int version = 0;  // 1, 2, 3, ... without gaps
  std::string_view name;
  std::span<const MigrationStatement> statements;
  void (*then)(soci::session&) = nullptr;  // data the statements' tables start with
};

// All migrations, by ascending version.
std::span<const Migration> migrations();
// The version of the newest migration this build knows.
int schema_version_latest();

// Brings the schema up to schema_version_latest(). Errors: database_error; corruption if the
// database's schema is newer than this build (a downgrade is refused, never guessed at).
// REQUIRES: called inside a WriteTransaction (it does not commit).
Status apply_migrations(soci::session& sql, Backend backend);

// The stored schema version (0 for an empty database). Errors: database_error.
Result<int> stored_schema_version(soci::session& sql);

}  // namespace subsidy::store
