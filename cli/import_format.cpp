#include "cli/import_format.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace subsidy::cli {

std::optional<ImportFormat> import_format(std::string_view option, std::string_view file, std::string& error) {
  if (option == "csv") return ImportFormat::csv;
  if (option == "jsonl" || option == "ndjson") return ImportFormat::json_lines;
  if (!option.empty()) {
    error = "unknown --format " + std::string(option) + " (csv or jsonl)";
    return std::nullopt;
  }
  std::string extension = std::filesystem::path(file).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".csv") return ImportFormat::csv;
  if (extension == ".jsonl" || extension == ".ndjson") return ImportFormat::json_lines;
  error = "cannot tell the format of " + std::string(file) +
          " from its name (.csv, .jsonl or .ndjson): give --format csv or --format jsonl";
  return std::nullopt;
}

std::string_view content_type(ImportFormat format) {
  return format == ImportFormat::csv ? "text/csv" : "application/x-ndjson";
}

}  // namespace subsidy::cli
