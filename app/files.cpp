#include "app/files.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace subsidy::app {

namespace fs = std::filesystem;

std::optional<std::string> read_file(const fs::path& path, std::string& error) {
  if (path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path.string() + ": cannot open";
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<boost::json::value> read_json_file(const fs::path& path, std::string& error) {
  auto text = read_file(path, error);
  if (!text) return std::nullopt;
  auto parsed = read_json(*text);
  if (auto* e = std::get_if<JsonSyntaxError>(&parsed)) {
    error = path.string() + ": offset " + std::to_string(e->offset) + ": " + e->message;
    return std::nullopt;
  }
  return std::get<boost::json::value>(std::move(parsed));
}

std::variant<RulesetSet, std::vector<std::string>> load_rulesets(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  std::vector<std::string> errors;
  for (const fs::path& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::string name = it->path().filename().string();
        // rules/examples/ holds amendments one loads by naming them (docs/rulesets.md), not by
        // loading the directory above.
        if (it->is_directory() && name == examples_directory) it.disable_recursion_pending();
        else if (it->is_regular_file() && name.ends_with(".ruleset.json")) files.push_back(it->path());
      }
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      errors.push_back(p.string() + ": no such file or directory");
    }
  }
  std::sort(files.begin(), files.end());
  if (files.empty() && errors.empty()) errors.push_back("no *.ruleset.json files found");
  std::vector<RulesetSource> sources;
  for (const fs::path& f : files) {
    std::string error;
    auto text = read_file(f, error);
    if (!text) errors.push_back(error);
    else sources.push_back({f.string(), std::move(*text)});
  }
  if (!errors.empty()) return errors;
  auto loaded = RulesetSet::load(std::move(sources));
  if (auto* set = std::get_if<RulesetSet>(&loaded)) return std::move(*set);
  for (const auto& e : std::get<std::vector<RulesetLoadError>>(loaded)) errors.push_back(e.to_string());
  return errors;
}

}  // namespace subsidy::app
