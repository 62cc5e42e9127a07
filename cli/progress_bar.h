#pragma once
// The upload's progress on standard error. On a terminal, one line redrawn with '\r' at most every
// 100 ms (redrawing on each 64 KiB chunk would cost more than sending it): a bar, the percent,
// MB sent of the total and the rate. Otherwise (a log file, a pipe) no bar: a line when sending
// starts and one when it ends. Times are given, not read, so that tests can fix them.

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace subsidy::cli {

class ProgressBar {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::milliseconds redraw_interval{100};

  // terminal: whether out is one (isatty), i.e. whether '\r' redraws the line.
  ProgressBar(std::ostream& out, bool terminal);

  // Sending begins: total bytes of the body.
  void start(std::uint64_t total, Clock::time_point now);
  // sent bytes so far; drawn when redraw_interval has passed since the last drawing.
  void update(std::uint64_t sent, Clock::time_point now);
  // The last byte is sent: the bar at 100%, then the line saying the server is checking.
  void body_sent(Clock::time_point now);
  // Sending stopped early (an answer before the end, an error): ends the bar's line so that what
  // is printed next starts on a line of its own. Nothing when no bar is open.
  void interrupt();

  // "47.2 MB" (one decimal; two below 1 MB).
  static std::string megabytes(std::uint64_t bytes);

 private:
  void draw(Clock::time_point now);
  static std::string number(std::uint64_t bytes, std::uint64_t total);

  std::ostream& out_;
  bool terminal_;
  bool open_ = false;  // a bar is drawn and its line not ended
  std::uint64_t total_ = 0;
  std::uint64_t sent_ = 0;
  Clock::time_point started_{};
  Clock::time_point drawn_{};
};

}  // namespace subsidy::cli
