#pragma once
// A StoreError thrown as an exception, for the one place the store cannot return one: the const
// look-ups of HistoryView (StoreHistory), whose interface has no error path.
//
// status.h already names the error value StoreError, so the thrown type is StoreException; it
// derives from both std::runtime_error and StoreError, so `catch (const store::StoreError&)` and
// `catch (const std::runtime_error&)` both catch it.

#include "store/status.h"

#include <stdexcept>

namespace subsidy::store {

class StoreException : public std::runtime_error, public StoreError {
 public:
  explicit StoreException(StoreError error);
  const StoreError& error() const { return *this; }
};

}  // namespace subsidy::store
