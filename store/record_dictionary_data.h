#pragma once
// The bytes of store/dictionaries/record-1.zdict as hex, generated into the build tree by
// store/CMakeLists.txt. Internal to store/ (record_codec.cpp).

#include <string_view>

namespace subsidy::store {

extern const std::string_view record_dictionary_1_hex;

}  // namespace subsidy::store
