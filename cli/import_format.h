#pragma once
// Which of registry.md's two export formats a file is, and the Content-Type that tells the
// server: --format when given, else the file's extension. Guessing from the content is left out
// on purpose: a CSV file whose first cell starts with '{' would be read as the wrong format.

#include <optional>
#include <string>
#include <string_view>

namespace subsidy::cli {

enum class ImportFormat { csv, json_lines };

// option: --format's value, "" when not given ("csv", "jsonl"). nullopt with error set when
// neither the option nor the extension (.csv; .jsonl, .ndjson; any case) says.
std::optional<ImportFormat> import_format(std::string_view option, std::string_view file, std::string& error);

// "text/csv", "application/x-ndjson".
std::string_view content_type(ImportFormat format);

}  // namespace subsidy::cli
