#pragma once
// AUDIT_CHECK: an assertion that stays on in release builds. For programmer errors and broken
// invariants only (never for input, which gets a Status): continuing with a wrong hash or a
// wrong tree would write or vouch for an audit log that is not what it claims to be.

#include <cstdio>
#include <cstdlib>

#define AUDIT_CHECK(condition)                                                                 \
  do {                                                                                         \
    if (!(condition)) {                                                                        \
      std::fprintf(stderr, "%s:%d: AUDIT_CHECK(%s) failed\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                            \
    }                                                                                          \
  } while (false)
