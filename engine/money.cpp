#include "engine/money.h"

#include <cstdlib>

namespace subsidy {

std::optional<Fen> checked_add(Fen a, Fen b) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a.value(), b.value(), &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> checked_sub(Fen a, Fen b) {
  std::int64_t out = 0;
  if (__builtin_sub_overflow(a.value(), b.value(), &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> checked_mul(Fen a, std::int64_t factor) {
  std::int64_t out = 0;
  if (__builtin_mul_overflow(a.value(), factor, &out)) return std::nullopt;
  return Fen(out);
}

std::optional<Fen> checked_percent(Fen a, std::int64_t percent) {
  std::int64_t product = 0;
  if (__builtin_mul_overflow(a.value(), percent, &product)) return std::nullopt;
  std::int64_t quotient = product / 100;
  if (product % 100 != 0 && product < 0) --quotient;  // floor, not truncation
  return Fen(quotient);
}

std::string format_yuan(Fen amount) {
  std::int64_t v = amount.value();
  bool negative = v < 0;
  // Work in unsigned to survive INT64_MIN.
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / 100);
  out += '.';
  std::uint64_t cents = magnitude % 100;
  out += static_cast<char>('0' + cents / 10);
  out += static_cast<char>('0' + cents % 10);
  return out;
}

}  // namespace subsidy
