#pragma once
// Errors as values for the store. Every fallible function returns a Status or a Result<T>; no
// exception (soci::soci_error included) escapes store/ except std::bad_alloc. The code tells the
// caller what to do; the message tells a person what happened; seq names the record at fault
// when there is one (tamper findings always name it).

#include "audit/result.h"

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace subsidy::store {

enum class StoreCode {
  invalid_argument,     // the caller's input is malformed (bad URL, record without decided_at)
  conflict,             // the input contradicts what is stored (a claim_id decided before)
  not_found,            // something the input refers to is not stored (a ruleset, a claim)
  database_error,       // the database failed (cannot open, disk full, connection lost)
  corruption,           // stored data does not have the form the schema or format requires
  verification_failed,  // a stored hash does not match its record: possible tampering
};

struct StoreError {
  StoreCode code = StoreCode::invalid_argument;
  std::string message;
  std::uint64_t seq = 0;  // the record at fault; 0 when the error concerns no single record
};

using Status = audit::BasicStatus<StoreError>;
template <class T>
using Result = audit::BasicResult<T, StoreError>;

inline StoreError store_error(StoreCode code, std::string message, std::uint64_t seq = 0) {
  return StoreError{code, std::move(message), seq};
}

std::string_view store_code_name(StoreCode code);

}  // namespace subsidy::store
