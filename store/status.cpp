#include "store/status.h"

namespace subsidy::store {

std::string_view store_code_name(StoreCode code) {
  switch (code) {
    case StoreCode::invalid_argument: return "invalid_argument";
    case StoreCode::conflict: return "conflict";
    case StoreCode::not_found: return "not_found";
    case StoreCode::database_error: return "database_error";
    case StoreCode::corruption: return "corruption";
    case StoreCode::verification_failed: return "verification_failed";
  }
  return "unknown";
}

}  // namespace subsidy::store
