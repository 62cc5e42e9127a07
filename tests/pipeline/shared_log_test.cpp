// Two servers on one log (quality.md P5): each folds what the other appended before it decides,
// so conflicting claims for one person, split over both, never pay a month twice nor more than
// six months, and the one gapless log replays clean.

#include "app/replay.h"
#include "pipeline_support.h"
#include "store/heads.h"
#include "support/wft_claim.h"

#include <doctest/doctest.h>

#include <boost/json/serialize.hpp>

#include <future>
#include <map>
#include <set>
#include <thread>

namespace {

namespace json = boost::json;
using subsidy::app::PipelineOutcome;
using namespace subsidy::pipeline_test;
using subsidy::testing::wft_claim;

// Submits and waits; unavailable answers (nothing stored) are submitted again, as a client
// retries a 503. Counts the retries.
PipelineReply submit_until_answered(DecisionPipeline& p, const json::value& body, std::atomic<int>& retries) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    std::promise<PipelineReply> answered;
    auto future = answered.get_future();
    REQUIRE(p.try_submit_claim(body, "tok", [&](PipelineReply r) { answered.set_value(rendered(std::move(r))); }));
    PipelineReply r = future.get();
    if (r.outcome != PipelineOutcome::unavailable) return r;
    ++retries;
  }
  FAIL("still unavailable after 50 attempts");
  return {};
}

std::vector<std::string> months_2020_2021() {
  std::vector<std::string> months;
  for (int y = 2020; y <= 2021; ++y) {
    for (int m = 1; m <= 12; ++m) months.push_back(std::to_string(y) + (m < 10 ? "-0" : "-") + std::to_string(m));
  }
  return months;
}

struct Outcome {
  int approved_months = 0;
  std::map<std::string, int> paid;  // month → times approved
  int retries = 0;
};

// claims claims for one person, each for two months, sent by 8 threads, alternately to a and b.
Outcome send_conflicting_claims(DecisionPipeline& a, DecisionPipeline& b, int claims) {
  const std::vector<std::string> months = months_2020_2021();
  std::vector<PipelineReply> replies(claims);
  std::atomic<int> retries{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t; i < claims; i += 8) {
        std::vector<std::string> mine = {months[i % months.size()], months[(i * 7 + 3) % months.size()]};
        if (mine[0] == mine[1]) mine.pop_back();
        replies[i] = submit_until_answered(i % 2 == 0 ? a : b, wft_claim("HB-P5-" + std::to_string(i), mine), retries);
      }
    });
  }
  for (auto& s : senders) s.join();
  Outcome out;
  out.retries = retries.load();
  for (const PipelineReply& r : replies) {
    REQUIRE_MESSAGE(r.outcome == PipelineOutcome::created, r.detail);
    for (const auto& line : r.body.at("lines").as_array()) {
      if (line.at("status").as_string() == "approved") {
        ++out.approved_months;
        ++out.paid[std::string(line.at("subject").as_string())];
      }
    }
  }
  return out;
}

void check_one_clean_log(const std::string& url, int claims) {
  CHECK(log_head(url) == static_cast<std::uint64_t>(claims));
  auto log = subsidy::store::LogStore::open(url);
  REQUIRE(log.ok());
  auto heads = subsidy::store::Heads::open(url);
  REQUIRE(heads.ok());
  subsidy::app::ReplayReport report = subsidy::app::replay(*log.value(), heads.value().get());
  CHECK_MESSAGE(report.clean(), json::serialize(subsidy::app::report_to_json(report)));
  CHECK(report.decisions == static_cast<std::uint64_t>(claims));
}

// Two servers on url (shared_log as given) decide 200 conflicting claims for one person: six
// months approved, each once, and one clean log. Returns how many 503s the clients retried.
int two_servers_decide_conflicting_claims(const std::string& url, bool shared_log) {
  fs::path dir = scratch_dir();
  PipelineSettings settings = settings_for(url, dir);
  settings.shared_log = shared_log;
  settings.batch_max = 8;
  auto a = start(settings);
  auto b = start(settings);
  constexpr int claims = 200;
  Outcome out = send_conflicting_claims(*a, *b, claims);
  CHECK(out.approved_months == 6);
  for (const auto& [month, times] : out.paid) CHECK_MESSAGE(times == 1, month);
  a->stop();
  b->stop();
  check_one_clean_log(url, claims);
  fs::remove_all(dir);
  return out.retries;
}

}  // namespace

STORE_TEST("two servers sharing a log decide conflicting claims for one person against each other's decisions") {
  int retries = two_servers_decide_conflicting_claims(db.url(), true);
  CHECK(retries == 0);  // each batch is decided under the write lock: nothing to retry
}

STORE_TEST("a server that finds another writer's records in its log refuses the stale batch and then follows the log") {
  int retries = two_servers_decide_conflicting_claims(db.url(), false);  // shared_log not set: found out
  MESSAGE("503s retried: " << retries);
}

STORE_TEST("a claim decided against a log another server has since extended is refused unstored, then decided against it") {
  fs::path dir = scratch_dir();
  PipelineSettings settings = settings_for(db.url(), dir);
  auto a = start(settings);
  auto b = start(settings);  // its state holds nothing of what a decides next
  std::atomic<int> retries{0};
  PipelineReply first =
      submit_until_answered(*a, wft_claim("HB-P5-A", {"2020-01", "2020-02", "2020-03", "2020-04", "2020-05", "2020-06"}), retries);
  REQUIRE(first.outcome == PipelineOutcome::created);
  CHECK(first.body.at("outcome").as_string() == "approved");
  // b decides a seventh month on a state without a's six: that decision must not be stored.
  PipelineReply seventh = submit_until_answered(*b, wft_claim("HB-P5-B", {"2020-07"}), retries);
  CHECK(retries == 1);
  REQUIRE(seventh.outcome == PipelineOutcome::created);
  CHECK(seventh.body.at("seq").as_int64() == 2);
  CHECK(seventh.body.at("outcome").as_string() == "rejected");  // over the cap, now that b has followed a
  // And a, which does not know b's record yet, finds out the same way.
  PipelineReply again = submit_until_answered(*a, wft_claim("HB-P5-C", {"2020-08"}), retries);
  CHECK(retries == 2);
  REQUIRE(again.outcome == PipelineOutcome::created);
  CHECK(again.body.at("seq").as_int64() == 3);
  CHECK(again.body.at("outcome").as_string() == "rejected");
  a->stop();
  b->stop();
  check_one_clean_log(db.url(), 3);
  fs::remove_all(dir);
}
