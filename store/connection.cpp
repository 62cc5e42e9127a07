#include "store/connection.h"

#include "store/postgresql_conninfo.h"
#include "store/soci_edge.h"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace subsidy::store {
namespace {

constexpr std::string_view sqlite_scheme = "sqlite://";
constexpr std::string_view postgresql_schemes[] = {"postgresql://", "postgres://"};

Result<ConnectionSetting> sqlite_setting(std::string_view path) {
  if (path.empty()) return store_error(StoreCode::invalid_argument, "the SQLite path is empty");
  if (path.find_first_of(" \t\r\n\"'=") != std::string_view::npos) {
    return store_error(StoreCode::invalid_argument,
                       "an SQLite path must not contain whitespace, quotes or '=': " + std::string(path));
  }
  return ConnectionSetting{Backend::sqlite, std::string(path)};
}

void configure_sqlite(soci::session& sql) {
  std::string journal_mode;
  sql << "PRAGMA journal_mode=WAL", soci::into(journal_mode);
  if (journal_mode != "wal") throw std::runtime_error("SQLite refused WAL mode (journal_mode=" + journal_mode + ")");
  sql << "PRAGMA synchronous=FULL";
  sql << "PRAGMA foreign_keys=ON";
  sql << "PRAGMA busy_timeout=" + std::to_string(sqlite_busy_timeout_ms);
}

}  // namespace

std::string_view backend_name(Backend backend) {
  return backend == Backend::sqlite ? "sqlite" : "postgresql";
}

Result<ConnectionSetting> parse_connection_url(std::string_view url) {
  if (url.empty()) return store_error(StoreCode::invalid_argument, "the database setting is empty");
  if (url.size() > connection_url_chars_max) {
    return store_error(StoreCode::invalid_argument, "the database setting is longer than connection_url_chars_max");
  }
  for (std::string_view scheme : postgresql_schemes) {
    if (url.starts_with(scheme)) return ConnectionSetting{Backend::postgresql, std::string(url)};
  }
  if (url.starts_with(sqlite_scheme)) return sqlite_setting(url.substr(sqlite_scheme.size()));
  if (url.find("://") != std::string_view::npos) {
    return store_error(StoreCode::invalid_argument,
                       "unknown database scheme (expected sqlite:// or postgresql://): " +
                           std::string(url.substr(0, url.find("://") + 3)));
  }
  return sqlite_setting(url);
}

Result<std::unique_ptr<soci::session>> open_session(const ConnectionSetting& setting) {
  std::string keyword_form;
  if (setting.backend == Backend::postgresql) {
    Result<std::string> converted = postgresql_keyword_form(setting.target);
    if (!converted.ok()) return converted.error();
    keyword_form = std::move(converted.value());
  }
  std::string what = "opening the " + std::string(backend_name(setting.backend)) + " database";
  return guarded(what, [&]() -> Result<std::unique_ptr<soci::session>> {
    auto sql = std::make_unique<soci::session>();
    if (setting.backend == Backend::sqlite) {
      sql->open(*soci::factory_sqlite3(), setting.target);
      configure_sqlite(*sql);
    } else {
      sql->open(*soci::factory_postgresql(), keyword_form);
      *sql << "SET client_min_messages = warning";  // no NOTICEs on stderr ("already exists, skipping")
    }
    return sql;
  });
}

Result<std::unique_ptr<soci::session>> open_session(std::string_view url) {
  Result<ConnectionSetting> setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  return open_session(setting.value());
}

}  // namespace subsidy::store
