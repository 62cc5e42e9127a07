#pragma once
// A clerk's review of the lines a decision held for review (POST /v1/claims/{id}/review, api.md):
// which held lines to approve and which to reject, and why. parse_review is pure: a JSON document
// in, a ReviewRequest or every problem found (each with its JSON Pointer) out.

#include "engine/problem.h"

#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace subsidy {

enum class Resolution : std::uint8_t { approve, reject };
inline constexpr std::array<std::string_view, 2> resolution_names = {"approve", "reject"};

struct LineResolution {
  std::string subject;  // a held line's subject: a month, a trainee's id_number, or "claim"
  Resolution resolution = Resolution::approve;
};

struct ReviewRequest {
  std::vector<LineResolution> lines;  // no subject twice
  std::string note;                   // the clerk's grounds, kept in the log with the request
};

struct ReviewLimits {
  static constexpr std::size_t lines_max = 500;        // a class's trainees at most
  static constexpr std::size_t subject_chars_max = 24;  // Subject::chars_max
  static constexpr std::size_t note_chars_max = 2000;
};

std::variant<ReviewRequest, Problems> parse_review(const boost::json::value& document);

}  // namespace subsidy
