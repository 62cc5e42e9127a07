#include "audit/base64.h"

#include <algorithm>

namespace subsidy::audit {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int sextet(char c) {
  const auto pos = alphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

// Decodes one group of four characters, of which the last `padding` are '='.
bool decode_quad(std::string_view quad, std::size_t padding, std::vector<std::uint8_t>& out) {
  std::uint32_t bits = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    const int v = i < 4 - padding ? sextet(quad[i]) : 0;
    if (v < 0) return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
  }
  const std::size_t produced = 3 - padding;
  // Bits that padding leaves unused must be zero, or two texts would decode to the same bytes.
  if ((bits & ((1u << (8 * padding)) - 1)) != 0) return false;
  for (std::size_t i = 0; i < produced; ++i) {
    out.push_back(static_cast<std::uint8_t>(bits >> (16 - 8 * i)));
  }
  return true;
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t bits = 0;
    for (std::size_t j = 0; j < 3; ++j) bits = (bits << 8) | (j < n ? bytes[i + j] : 0u);
    for (std::size_t j = 0; j < 4; ++j) {
      out += j <= n ? alphabet[(bits >> (18 - 6 * j)) & 0x3F] : '=';
    }
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::vector<std::uint8_t> out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const std::string_view quad = text.substr(i, 4);
    const bool last = i + 4 == text.size();
    const std::size_t padding = !last ? 0 : quad[3] != '=' ? 0 : quad[2] != '=' ? 1 : 2;
    if (!decode_quad(quad, padding, out)) return std::nullopt;
  }
  return out;
}

}  // namespace subsidy::audit
