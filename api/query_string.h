#pragma once
// The few query parameters the API takes (from_seq, limit, from_size, to_size): looked up by
// name, percent-decoded, and read as unsigned decimal integers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace subsidy::api {

// The decoded value of the first `name=` parameter; nullopt when absent or badly encoded.
std::optional<std::string> query_param(std::string_view query, std::string_view name);

// Digits only, no sign, no leading '+', at most 19 digits; nullopt otherwise.
std::optional<std::uint64_t> parse_u64(std::string_view text);

}  // namespace subsidy::api
