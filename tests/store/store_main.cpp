// The store tests' main: says which backends run. Every store test is registered twice, as
// "sqlite: …" and "postgresql: …"; the PostgreSQL cases are skipped (and reported as NOT RUN, which
// CTest counts as skipped, never as passed) unless SUBSIDY_TEST_POSTGRES_URL names a server.
// Listing always includes them, so that CTest registers them whatever the build environment.
// --algorithms=sm3+sm2 runs every test on logs of that pair (store_fixture.h: test_algorithms()).

#define DOCTEST_CONFIG_IMPLEMENT
#include "store_fixture.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

bool is_listing(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.find("list-test-cases") != std::string_view::npos || a.find("-ltc") != std::string_view::npos) return true;
  }
  return false;
}

// The --test-case filter CTest passes ("" when the whole executable runs).
std::string_view test_case_filter(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    for (std::string_view flag : {"--test-case=", "-tc="}) {
      if (a.starts_with(flag)) return a.substr(flag.size());
    }
  }
  return {};
}

void print_backends(std::string_view filter) {
  bool sqlite = filter.empty() || filter.starts_with("sqlite") || !filter.starts_with("postgresql");
  bool postgresql = filter.empty() || filter.starts_with("postgresql");
  std::printf("store tests: logs of %s\n",
              subsidy::store::algorithms_name(subsidy::store::test::test_algorithms()).c_str());
  if (sqlite) std::printf("store tests: sqlite backend: runs (temporary files)\n");
  if (!postgresql) return;
  if (subsidy::store::test::postgres_url().empty()) {
    std::printf("store tests: postgresql backend NOT RUN: SUBSIDY_TEST_POSTGRES_URL is not set\n");
  } else {
    std::printf("store tests: postgresql backend: runs (%s)\n", subsidy::store::test::postgres_url().c_str());
  }
}

// --algorithms=HASH+SIG, or nullopt; false if it names no pair.
bool apply_algorithms(int argc, char** argv) {
  constexpr std::string_view flag = "--algorithms=";
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (!a.starts_with(flag)) continue;
    auto pair = subsidy::store::parse_algorithms(a.substr(flag.size()));
    if (!pair) return false;
    subsidy::store::test::set_test_algorithms(*pair);
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (!apply_algorithms(argc, argv)) {
    std::fprintf(stderr, "--algorithms takes a pair such as sha256+ed25519 or sm3+sm2\n");
    return 2;
  }
  doctest::Context context;
  context.applyCommandLine(argc, argv);
  if (is_listing(argc, argv)) {
    context.setOption("no-skip", true);
  } else {
    print_backends(test_case_filter(argc, argv));
  }
  return context.run();
}
