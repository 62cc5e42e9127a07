#pragma once
// File reading for the command-line tools (the engine itself reads no files).

#include "engine/json_reader.h"
#include "engine/ruleset_set.h"

#include <boost/json/value.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace subsidy::app {

// The whole file, or nullopt with `error` set. "-" reads standard input.
std::optional<std::string> read_file(const std::filesystem::path& path, std::string& error);

// A JSON file read strictly (json_reader.h); nullopt with `error` ("file: offset N: message").
std::optional<boost::json::value> read_json_file(const std::filesystem::path& path, std::string& error);

// Every `*.ruleset.json` under each path (a file or a directory, searched recursively, in path
// order, except in directories named `examples`: optional amendments, loaded only by naming
// them), compiled together. Errors are printable lines.
inline constexpr std::string_view examples_directory = "examples";
std::variant<RulesetSet, std::vector<std::string>> load_rulesets(const std::vector<std::filesystem::path>& paths);

}  // namespace subsidy::app
