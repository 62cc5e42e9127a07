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

class [[nodiscard]] Status {
 public:
  Status() = default;                                            // success
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit on purpose

  bool ok() const { return ok_; }
  // REQUIRES: !ok().
  const Error& error() const {
    assert(!ok_);
    return error_;
  }

 private:
  Error error_;
  bool ok_ = true;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit on purpose
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit on purpose

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
  const Error& error() const {
    assert(!ok());
    return std::get<1>(state_);
  }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> state_;
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message)}; }

}  // namespace subsidy::audit
