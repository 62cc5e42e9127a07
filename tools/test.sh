#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors, runs CTest.
#   tools/test.sh             the normal build, in ./build (or $BUILD_DIR)
#   tools/test.sh --sanitize  the same suite under AddressSanitizer + UBSan, in ./build-sanitize;
#                             the libraries and tools are instrumented, the test files are not and
#                             are linked from the normal build (built first: tests/CMakeLists.txt)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$here/build}
flags=(-DSUBSIDY_WERROR=ON)
"$here/tools/setup.sh"
if [ "${1:-}" = "--sanitize" ]; then
  normal_dir=${NORMAL_BUILD_DIR:-$here/build}
  BUILD_DIR=$normal_dir "$here/tools/build.sh" "${flags[@]}"
  build_dir=${BUILD_DIR:-$here/build-sanitize}
  flags+=(-DSUBSIDY_SANITIZE=ON "-DSUBSIDY_TEST_OBJECTS_FROM=$normal_dir")
  # Debian's libsoci_postgresql 4.0.3 leaks its bind buffers when a statement fails (the
  # injected commit failure of the pipeline tests); not our code, so LeakSanitizer skips it.
  export LSAN_OPTIONS="suppressions=$here/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
BUILD_DIR=$build_dir "$here/tools/build.sh" "${flags[@]}"
# The store tests also run against PostgreSQL: a scratch server on loopback, stopped on exit.
if [ -z "${SUBSIDY_TEST_POSTGRES_URL:-}" ]; then
  trap '"$here/tools/pg-test-server.sh" stop' EXIT
  SUBSIDY_TEST_POSTGRES_URL=$("$here/tools/pg-test-server.sh" start)
fi
export SUBSIDY_TEST_POSTGRES_URL
echo "test: PostgreSQL for the store tests at $SUBSIDY_TEST_POSTGRES_URL"
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)"
