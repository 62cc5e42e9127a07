// The upload's progress bar (cli/progress_bar.h) at given times: on a terminal redrawn with '\r'
// at most every 100 ms with percent, MB and MB/s; elsewhere a line at the start and at the end.

#include "cli/progress_bar.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

namespace subsidy::cli::test {

namespace {

using Clock = ProgressBar::Clock;
using std::chrono::milliseconds;

const Clock::time_point t0 = Clock::time_point() + std::chrono::hours(1);

// What was written since the last call.
struct Tail {
  std::ostringstream out;
  std::size_t seen = 0;
  std::string next() {
    std::string all = out.str();
    std::string part = all.substr(seen);
    seen = all.size();
    return part;
  }
};

}  // namespace

TEST_CASE("progress bar: on a terminal, redrawn at most every 100 ms with percent, MB and MB/s") {
  Tail tail;
  ProgressBar bar(tail.out, true);
  bar.start(10'000'000, t0);
  CHECK(tail.next() == "\r[..............................]   0%   0.0 / 10.0 MB             ");
  bar.update(1'000'000, t0 + milliseconds(50));
  CHECK(tail.next() == "");  // 50 ms after the last drawing
  bar.update(2'500'000, t0 + milliseconds(100));
  // 2.5 MB in 0.1 s; 25% of the 30 columns is 7.
  CHECK(tail.next() == "\r[#######.......................]  25%   2.5 / 10.0 MB  25.0 MB/s  ");
  bar.update(5'000'000, t0 + milliseconds(199));
  CHECK(tail.next() == "");
  bar.update(5'000'000, t0 + milliseconds(200));
  CHECK(tail.next() == "\r[###############...............]  50%   5.0 / 10.0 MB  25.0 MB/s  ");
  bar.body_sent(t0 + milliseconds(1000));
  CHECK(tail.next() ==
        "\r[##############################] 100%  10.0 / 10.0 MB  10.0 MB/s  \n"
        "waiting for the server to check 10.0 MB…\n");
  bar.interrupt();  // the line is ended already
  CHECK(tail.next() == "");
}

TEST_CASE("progress bar: many updates within 100 ms draw once") {
  Tail tail;
  ProgressBar bar(tail.out, true);
  bar.start(100'000'000, t0);
  for (int i = 1; i <= 1000; ++i) bar.update(static_cast<std::uint64_t>(i) * 65'536, t0 + std::chrono::microseconds(i * 99));
  std::string drawn = tail.next();
  CHECK(std::count(drawn.begin(), drawn.end(), '\r') == 1);  // the start's; the last update is at 99 ms
  bar.update(70'000'000, t0 + milliseconds(101));
  CHECK(tail.next().starts_with("\r[#####################.........]  70%   70.0 / 100.0 MB"));
}

TEST_CASE("progress bar: not a terminal, a line at the start and one at the end and no bar") {
  Tail tail;
  ProgressBar bar(tail.out, false);
  bar.start(10'000'000, t0);
  CHECK(tail.next() == "sending 10.0 MB…\n");
  bar.update(5'000'000, t0 + milliseconds(500));
  bar.update(9'000'000, t0 + milliseconds(1500));
  CHECK(tail.next() == "");
  bar.body_sent(t0 + milliseconds(2000));
  CHECK(tail.next() == "sent 10.0 MB in 2.0 s, 5.0 MB/s\nwaiting for the server to check 10.0 MB…\n");
  bar.interrupt();
  CHECK(tail.next() == "");
}

TEST_CASE("progress bar: stopped early, the bar's line is ended once") {
  Tail tail;
  ProgressBar bar(tail.out, true);
  bar.start(4'000'000, t0);
  bar.update(1'000'000, t0 + milliseconds(400));
  CHECK(tail.next() == "\r[..............................]   0%  0.0 / 4.0 MB             "
                       "\r[#######.......................]  25%  1.0 / 4.0 MB  2.5 MB/s   ");
  bar.interrupt();
  CHECK(tail.next() == "\n");
  bar.interrupt();
  CHECK(tail.next() == "");
}

TEST_CASE("progress bar: below 1 MB, two decimals") {
  CHECK(ProgressBar::megabytes(250'000) == "0.25 MB");
  CHECK(ProgressBar::megabytes(0) == "0.00 MB");
  CHECK(ProgressBar::megabytes(1'000'000) == "1.0 MB");
  CHECK(ProgressBar::megabytes(104'857'600) == "104.9 MB");
  Tail tail;
  ProgressBar bar(tail.out, true);
  bar.start(250'000, t0);
  bar.body_sent(t0 + milliseconds(100));
  CHECK(tail.next() ==
        "\r[..............................]   0%  0.00 / 0.25 MB             "
        "\r[##############################] 100%  0.25 / 0.25 MB  2.5 MB/s   \n"
        "waiting for the server to check 0.25 MB…\n");
}

}  // namespace subsidy::cli::test
