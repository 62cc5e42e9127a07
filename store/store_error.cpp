#include "store/store_error.h"

#include <utility>

namespace subsidy::store {

StoreException::StoreException(StoreError error)
    : std::runtime_error(std::string(store_code_name(error.code)) + ": " + error.message), StoreError(std::move(error)) {}

}  // namespace subsidy::store
