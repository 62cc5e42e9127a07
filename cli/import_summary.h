#pragma once
// What `subsidy-admin registry import` prints once the exchange is over, and its exit status:
// the server's answer (201 imported, 200 imported before, 422 every bad row by line and column,
// any other problem by status and detail), or why no answer came.

#include "cli/http_upload.h"

#include <string>
#include <string_view>

namespace subsidy::cli {

struct Summary {
  std::string text;   // for standard output; each line ends in '\n'
  int exit_code = 1;  // 0: the file is in the registry (now or from before); 1: it is not
};

Summary summarize_answer(const HttpAnswer& answer);

// No answer: one message (without the tool's name) for standard error, ending in '\n'; the
// exit status is 1. server is the URL as given; file the path.
std::string describe_failure(const UploadError& error, std::string_view server, std::string_view file);

// "/rows/7/id_number" → "line 7, id_number"; "/rows/7" → "line 7"; another pointer as it is;
// "" (the whole file) → "". Public for the tests.
std::string problem_place(std::string_view pointer);

}  // namespace subsidy::cli
