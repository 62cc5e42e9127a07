#pragma once
// Money is an integer number of fen (1 yuan = 100 fen), never a float.
// Arithmetic that could overflow goes through the checked_* functions, which report overflow
// as an empty optional; the engine's inputs are bounded so that no real claim reaches it.

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace subsidy {

class Fen {
 public:
  constexpr Fen() = default;
  constexpr explicit Fen(std::int64_t fen) : fen_(fen) {}

  constexpr std::int64_t value() const { return fen_; }
  constexpr auto operator<=>(const Fen&) const = default;

 private:
  std::int64_t fen_ = 0;
};

std::optional<Fen> checked_add(Fen a, Fen b);
std::optional<Fen> checked_sub(Fen a, Fen b);
std::optional<Fen> checked_mul(Fen a, std::int64_t factor);
// a × percent / 100, rounded toward negative infinity (down to the fen for positive amounts).
std::optional<Fen> checked_percent(Fen a, std::int64_t percent);

// "200.00" for Fen(20000); "-0.50" for Fen(-50).
std::string format_yuan(Fen amount);

// The largest amount any single input may carry (10 million yuan); bounds every sum we form.
inline constexpr std::int64_t fen_input_max = 1'000'000'000;

}  // namespace subsidy
