#pragma once
// What a decision line is about: a month "2020-03" (work_for_training), a trainee's id_number
// (project_training), or "claim" (pre_job_training). Held inline: a decision allocates nothing
// per line.

#include <algorithm>
#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace subsidy {

class Subject {
 public:
  static constexpr std::size_t chars_max = 24;
  Subject() = default;
  // REQUIRES: text.size() <= chars_max
  explicit Subject(std::string_view text) {
    assert(text.size() <= chars_max);
    std::copy_n(text.begin(), text.size(), chars_.begin());
    size_ = static_cast<std::uint8_t>(text.size());
  }
  std::string_view view() const { return {chars_.data(), size_}; }
  bool operator==(const Subject& o) const { return view() == o.view(); }

 private:
  std::array<char, chars_max> chars_{};
  std::uint8_t size_ = 0;
};

}  // namespace subsidy
