#include "engine/claim_parser.h"
#include "engine/json_fields.h"
#include "engine/review.h"

#include <algorithm>

namespace subsidy {
namespace {

std::optional<Resolution> read_resolution(const boost::json::value& value, const std::string& pointer,
                                          Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  auto it = std::find(resolution_names.begin(), resolution_names.end(), *text);
  if (it == resolution_names.end()) {
    add_problem(problems, pointer, unknown_name_message("resolution", *text, resolution_names.data(), resolution_names.size()));
    return std::nullopt;
  }
  return static_cast<Resolution>(it - resolution_names.begin());
}

void read_line(const boost::json::value& value, const std::string& pointer, ReviewRequest& review, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  if (!fields.is_object()) return;
  LineResolution line;
  bool complete = true;
  if (auto* v = fields.required("subject")) {
    auto subject = read_text_chars(*v, fields.pointer_of("subject"), ReviewLimits::subject_chars_max, problems);
    if (subject) line.subject = std::string(*subject);
    bool twice = subject && std::any_of(review.lines.begin(), review.lines.end(),
                                        [&](const LineResolution& l) { return l.subject == *subject; });
    if (twice) add_problem(problems, fields.pointer_of("subject"), "names a line already named in this review");
    complete = complete && subject && !twice;
  } else {
    complete = false;
  }
  if (auto* v = fields.required("resolution")) {
    auto resolution = read_resolution(*v, fields.pointer_of("resolution"), problems);
    if (resolution) line.resolution = *resolution;
    complete = complete && resolution;
  } else {
    complete = false;
  }
  fields.finish();
  if (complete) review.lines.push_back(std::move(line));
}

}  // namespace

std::variant<ReviewRequest, Problems> parse_review(const boost::json::value& document) {
  Problems problems;
  ReviewRequest review;
  ObjectFields fields(document, "", problems);
  if (!fields.is_object()) return problems;
  if (auto* v = fields.required("lines")) {
    std::string pointer = fields.pointer_of("lines");
    if (const auto* lines = read_array(*v, pointer, 1, ReviewLimits::lines_max, problems)) {
      for (std::size_t i = 0; i < lines->size(); ++i) read_line((*lines)[i], pointer_append(pointer, i), review, problems);
    }
  }
  if (auto* v = fields.required("note")) {
    if (auto note = read_text_chars(*v, fields.pointer_of("note"), ReviewLimits::note_chars_max, problems)) {
      review.note = std::string(*note);
    }
  }
  fields.finish();
  if (!problems.empty()) {
    bound_problems(problems, claim_problems_max);
    return problems;
  }
  return review;
}

}  // namespace subsidy
