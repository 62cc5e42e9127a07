#pragma once
// The path of one of this build's tools (subsidyd, subsidy-admin), found at run time beside the
// test executable (<build>/tests/api_tests → <build>/tools/<name>) rather than compiled in: the
// sanitizer build links the normal build's test objects (tools/test.sh --sanitize) and must
// start its own, instrumented tools.

#include <filesystem>
#include <string>
#include <string_view>

namespace subsidy::api::test {

inline std::string tool_path(std::string_view name) {
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe");
  return (exe.parent_path().parent_path() / "tools" / name).string();
}

}  // namespace subsidy::api::test
