#pragma once
// Runs a command line through the shell (a tool of this build, tool_path.h) and keeps what it
// wrote on standard output and its exit status: for the tests of subsidy-admin as a process.

#include <doctest/doctest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace subsidy::api::test {

struct ToolRun {
  int status = -1;  // the exit status; -1 when the process did not exit normally
  std::string out;
};

inline ToolRun run_command(const std::string& command) {
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  ToolRun run;
  std::array<char, 512> chunk;
  while (std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe)) run.out.append(chunk.data(), n);
  int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

}  // namespace subsidy::api::test
