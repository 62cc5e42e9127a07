#include "store/postgresql_conninfo.h"

#include <libpq-fe.h>

#include <memory>

namespace subsidy::store {
namespace {

std::string quoted(const char* value) {
  std::string out = "'";
  for (const char* c = value; *c; ++c) {
    if (*c == '\'' || *c == '\\') out += '\\';
    out += *c;
  }
  return out + "'";
}

}  // namespace

Result<std::string> postgresql_keyword_form(const std::string& uri) {
  char* error = nullptr;
  std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(uri.c_str(), &error),
                                                                       &PQconninfoFree);
  if (!options) {
    std::string message = error ? error : "out of memory";
    PQfreemem(error);
    return store_error(StoreCode::invalid_argument, "not a valid PostgreSQL URI: " + message);
  }
  std::string out;
  for (const PQconninfoOption* o = options.get(); o->keyword; ++o) {
    if (!o->val) continue;
    if (!out.empty()) out += ' ';
    out += std::string(o->keyword) + "=" + quoted(o->val);
  }
  return out;
}

}  // namespace subsidy::store
