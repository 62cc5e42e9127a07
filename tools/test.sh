#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as errors, runs CTest.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
"$here/tools/build.sh" -DSUBSIDY_WERROR=ON
cd "${BUILD_DIR:-$here/build}"
ctest --output-on-failure -j"$(nproc)"
