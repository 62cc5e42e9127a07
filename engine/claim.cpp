#include "engine/claim.h"

#include <algorithm>
#include <cassert>

namespace subsidy {

Code18::Code18(std::string_view text) {
  assert(text.size() == length);
  std::copy_n(text.begin(), length, chars_.begin());
}

}  // namespace subsidy
