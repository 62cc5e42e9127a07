#pragma once
// What `subsidy-admin classes file` prints for each filing it posted to POST /v1/classes: filed
// now (201), filed before with the same body (200), or refused (409 another filing under that
// class_id, 422 every problem by pointer, 403 another institution's class, …), in one or a few
// lines that start with the line of the file the filing came from.

#include "cli/http_upload.h"

#include <cstddef>
#include <string>

namespace subsidy::cli {

enum class FilingResult { filed, filed_before, refused };

struct FilingSummary {
  FilingResult result = FilingResult::refused;
  std::string text;  // each line ends in '\n'
};

// line: the filing's line in the file (from 1).
FilingSummary summarize_filing(std::size_t line, const HttpAnswer& answer);

// The closing line: "filed 2 classes, 1 filed before, 1 refused\n".
std::string filing_totals(std::size_t filed, std::size_t before, std::size_t refused);

}  // namespace subsidy::cli
