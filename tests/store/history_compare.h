#pragma once
// Field-by-field comparison of two histories' answers, for the state-fold tests.
// Returns "" when equal, else what differs (so a failing CHECK says where).

#include "engine/history.h"

#include <string>

namespace subsidy::store::test {

std::string person_difference(const PersonHistory* expected, const PersonHistory* actual);
std::string claim_difference(const ClaimHistory* expected, const ClaimHistory* actual);

}  // namespace subsidy::store::test
