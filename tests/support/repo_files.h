#pragma once
// Test support: the bytes of a file of the repository, by its path relative to the root.

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace subsidy::testing {

inline std::string read_repo_file(const std::string& relative) {
  std::ifstream in(std::string(SUBSIDY_SOURCE_DIR) + "/" + relative, std::ios::binary);
  REQUIRE_MESSAGE(in, "cannot open " << relative);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace subsidy::testing
