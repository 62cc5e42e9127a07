#include "cli/progress_bar.h"

#include <cstdio>

namespace subsidy::cli {

namespace {

constexpr int bar_width = 30;

double seconds(ProgressBar::Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// "38.5 MB/s"; "" before any time has passed (no rate to speak of yet).
std::string rate(std::uint64_t bytes, double elapsed) {
  if (elapsed <= 0) return "";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB/s", static_cast<double>(bytes) / 1e6 / elapsed);
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::ostream& out, bool terminal) : out_(out), terminal_(terminal) {}

std::string ProgressBar::megabytes(std::uint64_t bytes) { return number(bytes, bytes) + " MB"; }

// bytes in MB with the precision total asks for, so that sent and total read alike.
std::string ProgressBar::number(std::uint64_t bytes, std::uint64_t total) {
  char text[32];
  std::snprintf(text, sizeof text, total < 1'000'000 ? "%.2f" : "%.1f", static_cast<double>(bytes) / 1e6);
  return text;
}

void ProgressBar::start(std::uint64_t total, Clock::time_point now) {
  total_ = total;
  sent_ = 0;
  started_ = now;
  if (!terminal_) {
    out_ << "sending " << megabytes(total_) << "…\n" << std::flush;
    return;
  }
  draw(now);
}

void ProgressBar::update(std::uint64_t sent, Clock::time_point now) {
  sent_ = sent;
  if (terminal_ && now - drawn_ >= redraw_interval) draw(now);
}

void ProgressBar::body_sent(Clock::time_point now) {
  sent_ = total_;
  double elapsed = seconds(now - started_);
  if (terminal_) {
    draw(now);
    out_ << '\n';
    open_ = false;
  } else {
    char took[32];
    std::snprintf(took, sizeof took, "%.1f s", elapsed);
    std::string speed = rate(total_, elapsed);
    out_ << "sent " << megabytes(total_) << " in " << took << (speed.empty() ? "" : ", " + speed) << '\n';
  }
  out_ << "waiting for the server to check " << megabytes(total_) << "…\n" << std::flush;
}

void ProgressBar::interrupt() {
  if (!open_) return;
  out_ << '\n' << std::flush;
  open_ = false;
}

void ProgressBar::draw(Clock::time_point now) {
  drawn_ = now;
  // An empty body is all sent as soon as it starts.
  double fraction = total_ == 0 ? 1.0 : static_cast<double>(sent_) / static_cast<double>(total_);
  auto filled = static_cast<int>(fraction * bar_width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(bar_width - filled), '.');
  std::string all = number(total_, total_);
  // Fixed widths, so that each drawing covers the last one wholly.
  char line[160];
  std::snprintf(line, sizeof line, "\r[%s] %3d%%  %*s / %s MB  %-11s", bar.c_str(), static_cast<int>(fraction * 100),
                static_cast<int>(all.size()), number(sent_, total_).c_str(), all.c_str(),
                rate(sent_, seconds(now - started_)).c_str());
  out_ << line << std::flush;
  open_ = true;
}

}  // namespace subsidy::cli
