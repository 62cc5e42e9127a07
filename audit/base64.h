#pragma once
// Base64 (RFC 4648 §4, standard alphabet, with padding) for signatures and public keys in signed
// heads. Decoding is strict, so that each byte string has exactly one accepted text form.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::audit {

std::string base64_encode(std::span<const std::uint8_t> bytes);

// nullopt unless text is canonical base64: a multiple of four characters from the standard
// alphabet, '=' padding only at the end, no whitespace, and zero bits where padding leaves them.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace subsidy::audit
