#pragma once
// Internal to store/: where SOCI's exceptions become StoreErrors. Every public entry point of
// the store runs its database work inside guarded(), so no soci::soci_error escapes store/.

#include "store/status.h"

#include <soci/soci.h>

#include <exception>
#include <new>
#include <string>
#include <type_traits>

namespace subsidy::store {

// Runs work() and returns its Status or Result; a SOCI or standard exception thrown by it comes
// back as database_error prefixed with what (std::bad_alloc is rethrown: out of memory aborts).
template <class Work>
auto guarded(std::string_view what, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return store_error(StoreCode::database_error, std::string(what) + ": " + e.what());
  }
}

}  // namespace subsidy::store
