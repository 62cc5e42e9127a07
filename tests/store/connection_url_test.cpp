#include "store/connection.h"
#include "store/postgresql_conninfo.h"

#include <doctest/doctest.h>

using subsidy::store::Backend;
using subsidy::store::parse_connection_url;
using subsidy::store::StoreCode;

TEST_CASE("url: sqlite URLs and plain paths name an SQLite file") {
  auto a = parse_connection_url("sqlite:///var/lib/subsidy/log.db");
  REQUIRE(a.ok());
  CHECK(a.value().backend == Backend::sqlite);
  CHECK(a.value().target == "/var/lib/subsidy/log.db");
  auto b = parse_connection_url("data/log.db");
  REQUIRE(b.ok());
  CHECK(b.value().backend == Backend::sqlite);
  CHECK(b.value().target == "data/log.db");
}

TEST_CASE("url: postgresql URLs go to libpq unchanged") {
  for (const char* url : {"postgresql://app@db.internal:5432/subsidy?sslmode=require", "postgres://u@h/d"}) {
    auto s = parse_connection_url(url);
    REQUIRE(s.ok());
    CHECK(s.value().backend == Backend::postgresql);
    CHECK(s.value().target == url);
  }
}

TEST_CASE("url: empty settings and unknown schemes and awkward paths are refused") {
  for (const char* url : {"", "sqlite://", "mysql://u@h/d", "/tmp/a b.db", "/tmp/a=b.db", "sqlite:///tmp/\"x\""}) {
    auto s = parse_connection_url(url);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == StoreCode::invalid_argument);
  }
}

TEST_CASE("url: a postgresql URI reaches SOCI as libpq keywords") {
  auto k = subsidy::store::postgresql_keyword_form("postgresql://app@db.internal:6543/subsidy?options=-c%20search_path%3Dx");
  REQUIRE(k.ok());
  CHECK(k.value().find("user='app'") != std::string::npos);
  CHECK(k.value().find("host='db.internal'") != std::string::npos);
  CHECK(k.value().find("port='6543'") != std::string::npos);
  CHECK(k.value().find("dbname='subsidy'") != std::string::npos);
  CHECK(k.value().find("options='-c search_path=x'") != std::string::npos);
  CHECK_FALSE(subsidy::store::postgresql_keyword_form("postgresql://h:notaport/d?nonsense=1").ok());
}
