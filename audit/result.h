#pragma once
// Errors as values for the audit core. Every fallible function returns a Status (success or an
// Error) or a Result<T> (a T or an Error); no exception but std::bad_alloc escapes the library. The
// code tells a caller what to do (retry, reject the input, raise a tamper alarm); the message
// tells a person what happened and never contains key material.

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace subsidy::audit {

enum class ErrorCode {
  invalid_argument,     // the caller's input is malformed (bad hex, bad UTF-8, index out of range)
  not_found,            // a file or an entry does not exist
  already_exists,       // a file that must be new exists
  io_error,             // the operating system failed a read or a write
  corruption,           // stored data does not have the form this format requires
  verification_failed,  // a hash, proof or signature does not match: possible tampering
  crypto_error,         // OpenSSL failed or lacks an algorithm
};

struct Error {
  ErrorCode code = ErrorCode::invalid_argument;
  std::string message;
};

// Success or an error of type E; Result<T> below is a T or an E. Generic so that other layers
// (store/) use the same shapes with their own error codes.
template <class E>
class [[nodiscard]] BasicStatus {
 public:
  BasicStatus() = default;                                        // success
  BasicStatus(E error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit on purpose

  bool ok() const { return ok_; }
  // REQUIRES: !ok().
  const E& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  E error_;
  bool ok_ = true;
};

template <class T, class E>
class [[nodiscard]] BasicResult {
 public:
  BasicResult(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
  BasicResult(E error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

  bool ok() const { return state_.index() == 0; }
  // REQUIRES: ok().
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  // REQUIRES: !ok().
  const E& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  BasicStatus<E> status() const { return ok() ? BasicStatus<E>() : BasicStatus<E>(error()); }

 private:
  std::variant<T, E> state_;
};

using Status = BasicStatus<Error>;
template <class T>
using Result = BasicResult<T, Error>;

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace subsidy::audit
