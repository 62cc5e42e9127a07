#pragma once
// A claim_id as api.md allows it: 1-64 of A-Z a-z 0-9 . _ -. A path segment that is not one
// cannot name a claim, and is answered 404 without a look-up.

#include "store/record_format.h"

#include <algorithm>
#include <string_view>

namespace subsidy::api {

inline bool is_claim_id(std::string_view id) {
  if (id.empty() || id.size() > store::record_format::claim_id_chars_max) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

}  // namespace subsidy::api
