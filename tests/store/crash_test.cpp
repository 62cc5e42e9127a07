// A decision that was acknowledged survives kill -9 (issue 3, acceptance): a forked writer records
// real claims in a loop and reports each seq on a pipe only after append() returned it; the parent
// kills it with SIGKILL mid-stream (it is always inside or between write transactions), reopens
// the store and finds every acknowledged seq, a valid gapless chain and no partial decision.

#include "store/decision_recorder.h"

#include "claim_generator.h"
#include "engine/ledger.h"
#include "store_fixture.h"
#include "app/replay.h"

#include <boost/json.hpp>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;

namespace {

// The child: records generated claims until killed; writes each acknowledged seq to fd. Never
// returns (no destructor or doctest code of the parent runs in it).
[[noreturn]] void writer(const std::string& url, int fd) {
  auto opened = LogStore::open(url, test_log_options());
  if (!opened.ok()) _exit(2);
  RulesetSet rulesets = generated_rulesets();
  MemoryCatalogue catalogue = generated_catalogue();
  Ledger ledger(rulesets, catalogue);
  FixedClock fixed(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
  DecisionRecorder recorder(*opened.value(), ledger, rulesets, fixed);
  for (std::uint64_t i = 0;; ++i) {
    GeneratedStep step = generated_step(i);
    auto seq = record_generated_step(recorder, step);
    if (!seq.ok() || seq.value() != i + 1) _exit(3);
    std::uint64_t acked = seq.value();
    if (write(fd, &acked, sizeof acked) != static_cast<ssize_t>(sizeof acked)) _exit(4);
  }
}

}  // namespace

namespace {

void kill_and_check(const TestDb& db, std::uint64_t acknowledged_before_kill) {
  {
    auto store = db.open();  // the schema exists before the writer starts
  }
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t child = fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    close(fds[0]);
    writer(db.url(), fds[1]);
  }
  close(fds[1]);

  std::uint64_t last_acked = 0;
  std::uint64_t received = 0;
  enum class Read { acked, quiet, closed };
  auto read_one = [&](int timeout_ms) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return Read::quiet;
    std::uint64_t seq = 0;
    if (read(fds[0], &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) return Read::closed;
    CHECK(seq == last_acked + 1);
    last_acked = seq;
    ++received;
    return Read::acked;
  };
  // A loaded machine (CI compiling beside it) may take seconds for one commit: only the deadline,
  // or the writer's end, stops the wait.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (received < acknowledged_before_kill && std::chrono::steady_clock::now() < deadline) {
    if (read_one(1000) == Read::closed) break;
  }
  REQUIRE(kill(child, SIGKILL) == 0);
  int status = 0;
  REQUIRE(waitpid(child, &status, 0) == child);
  CHECK_MESSAGE(WIFSIGNALED(status), "the writer exited by itself with status ", WEXITSTATUS(status));
  while (read_one(0) == Read::acked) {
  }  // seqs acknowledged before the kill but not read yet
  close(fds[0]);
  REQUIRE(last_acked >= acknowledged_before_kill);

  auto store = db.open();
  auto head = store->verify_chain();
  REQUIRE_MESSAGE(head.ok(), head.error().message);
  CHECK(head.value().seq >= last_acked);  // every acknowledged seq, and possibly one committed unacknowledged
  CHECK(head.value().seq <= last_acked + 1);
  auto raw = db.raw();
  CHECK(count_rows(*raw, "log") == static_cast<long long>(head.value().seq));
  long long max_seq = 0, min_seq = 0;
  *raw << "SELECT MIN(seq), MAX(seq) FROM log", soci::into(min_seq), soci::into(max_seq);
  CHECK(min_seq == 1);
  CHECK(max_seq == static_cast<long long>(head.value().seq));
  // No partial decision: no index or claim row beyond the log, and every record replays.
  long long orphans = -1;
  *raw << "SELECT COUNT(*) FROM decision_lines WHERE seq > :m", soci::into(orphans), soci::use(max_seq);
  CHECK(orphans == 0);
  *raw << "SELECT COUNT(*) FROM claims WHERE seq > :m", soci::into(orphans), soci::use(max_seq);
  CHECK(orphans == 0);
  long long lineless = -1;
  *raw << "SELECT COUNT(*) FROM log WHERE NOT EXISTS (SELECT 1 FROM decision_lines d WHERE d.seq = log.seq)",
      soci::into(lineless);
  CHECK(lineless == 0);
  MemoryCatalogue catalogue = generated_catalogue();
  app::ReplayOptions options;
  options.catalogue = &catalogue;
  app::ReplayReport report = app::replay(*store, options);
  CHECK_MESSAGE(report.clean(), boost::json::serialize(app::report_to_json(report)));
  CHECK(report.records == head.value().seq);
  CHECK(report.decisions == head.value().seq);
  MESSAGE("killed after ", last_acked, " acknowledged; log head ", head.value().seq);
}

}  // namespace

STORE_TEST("every acknowledged decision survives kill -9 of the writer") {
  // Three writers on fresh logs, killed after different numbers of acknowledgements.
  kill_and_check(db, 150);
  for (std::uint64_t acknowledged : {37, 211}) {
    auto fresh = db.url().rfind("sqlite://", 0) == 0 ? make_sqlite_db() : make_postgres_db();
    kill_and_check(*fresh, acknowledged);
  }
}
