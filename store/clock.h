#pragma once
// Where a record's time comes from. The store never reads the clock: the caller stamps
// "decided_at" before appending, from a Clock it owns. Replay and tests use FixedClock, so that
// the same input gives the same bytes.

#include <chrono>
#include <string>

namespace subsidy::store {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::sys_seconds now() const = 0;
};

// The operating system's UTC time, to whole seconds.
class SystemClock final : public Clock {
 public:
  std::chrono::sys_seconds now() const override;
};

// Always the time it was given (tests, replay).
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::chrono::sys_seconds t) : t_(t) {}
  std::chrono::sys_seconds now() const override { return t_; }

 private:
  std::chrono::sys_seconds t_;
};

// clock.now() as RFC 3339 UTC, "2024-05-01T08:30:00Z": the form of a record's "decided_at".
std::string rfc3339_now(const Clock& clock);

}  // namespace subsidy::store
