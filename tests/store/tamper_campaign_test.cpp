// The acceptance campaign of audit.md "What must be detected", on a log of more than 10,000 real
// mixed decisions recorded through the DecisionRecorder: the log replays clean, then each tamper
// is applied to a fresh copy of the database and replay must name the seq. A copy is a file copy
// on SQLite and a schema of its own on PostgreSQL, where the log is shorter (2,150 decisions) to
// keep the suite fast: recording costs a round trip and a commit per decision there.
//
// A tamper is tried twice where that differs: (a) in place, the hashes left alone (the chain
// breaks at that seq) and (b) with the chain recomputed consistently from that seq on, as a forger
// with write access would (re-evaluation must then catch it). Two tampers cannot be caught without
// a signed head: the campaign signs one over the untouched log, as an auditor would hold it.

#include "store/decision_recorder.h"

#include "audit/canonical_json.h"
#include "audit/hash_chain.h"
#include "claim_generator.h"
#include "engine/ledger.h"
#include "store/connection.h"
#include "store/heads.h"
#include "store_fixture.h"
#include "app/replay.h"

#include <boost/json.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <unistd.h>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

std::string describe(const app::ReplayReport& report) {
  json::object o = app::report_to_json(report);
  json::array& f = o["findings"].as_array();
  if (f.size() > 5) f.resize(5);
  return json::serialize(o);
}

std::string canonical(const json::object& o) {
  auto c = audit::canonical_json(o);
  REQUIRE(c.ok());
  return c.value();
}

// Rewrites the record text of seq (hash and prev_hash columns untouched), and its decided_at column.
void set_record(soci::session& sql, long long seq, const json::object& record) {
  std::string text = canonical(record);
  std::string decided_at(record.at("decided_at").as_string());
  sql << "UPDATE log SET record = :r, decided_at = :d WHERE seq = :seq", soci::use(text), soci::use(decided_at),
      soci::use(seq);
}

// As a forger would: rewrites records from_seq..last so that each names its own seq (record and
// decision) and the chain holds, with fresh prev_hash and hash.
void rechain(soci::session& sql, audit::HashAlg alg, long long from_seq) {
  long long last = 0;
  sql << "SELECT MAX(seq) FROM log", soci::into(last);
  soci::transaction tx(sql);
  audit::Digest prev = audit::genesis_prev_hash;
  if (from_seq > 1) {
    std::string prev_hex;
    long long before = from_seq - 1;
    sql << "SELECT hash FROM log WHERE seq = :seq", soci::into(prev_hex), soci::use(before);
    prev = *audit::digest_from_hex(prev_hex);
  }
  for (long long seq = from_seq; seq <= last; ++seq) {
    json::object record = json::parse(record_text(sql, seq)).as_object();
    std::string prev_text = audit::to_hex(prev);
    record["prev_hash"] = prev_text;
    record["seq"] = seq;
    if (json::object* d = record["decision"].if_object(); d != nullptr && d->contains("seq")) (*d)["seq"] = seq;
    auto bytes = audit::record_canonical_bytes(record);
    REQUIRE(bytes.ok());
    prev = audit::chain_hash(alg, prev, bytes.value());
    std::string hash = audit::to_hex(prev);
    std::string decided_at(record.at("decided_at").as_string());
    sql << "UPDATE log SET record = :r, prev_hash = :p, hash = :h, decided_at = :d WHERE seq = :seq",
        soci::use(bytes.value()), soci::use(prev_text), soci::use(hash), soci::use(decided_at), soci::use(seq);
  }
  tx.commit();
}

// Inserts a copy of row seq - 1 at seq, moving seq.. one up (the rows keep their texts).
void insert_copy_before(soci::session& sql, long long seq) {
  long long shift = 10'000'000;
  sql << "UPDATE log SET seq = seq + :s WHERE seq >= :seq", soci::use(shift), soci::use(seq);
  sql << "UPDATE log SET seq = seq - :s1 + 1 WHERE seq >= :s2", soci::use(shift), soci::use(shift);
  long long before = seq - 1;
  std::string type, record, decided_at;
  sql << "SELECT type, record, decided_at FROM log WHERE seq = :seq", soci::into(type), soci::into(record),
      soci::into(decided_at), soci::use(before);
  std::string fake_hash(64, 'f');
  sql << "INSERT INTO log (seq, type, record, prev_hash, hash, decided_at) VALUES (:seq, :t, :r, '', :h, :d)",
      soci::use(seq), soci::use(type), soci::use(record), soci::use(fake_hash), soci::use(decided_at);
}

std::unique_ptr<soci::session> open_raw(const std::string& url) {
  auto setting = parse_connection_url(url);
  REQUIRE(setting.ok());
  auto sql = open_session(setting.value());
  REQUIRE_MESSAGE(sql.ok(), sql.error().message);
  return std::move(sql.value());
}

// Where the base log lives and how a copy of it is made: a file copy for SQLite; for PostgreSQL a
// schema of its own per copy, each table copied with its indexes and constraints.
struct Campaign {
  bool postgres = false;
  fs::path dir;
  std::string base_url;
  std::string base_schema;
  std::unique_ptr<soci::session> admin;
  int copies = 0;
  MemoryCatalogue catalogue = generated_catalogue();
  audit::HashAlg alg = audit::HashAlg::sha256;

  explicit Campaign(bool pg) : postgres(pg) {
    if (postgres) {
      admin = open_raw(postgres_url());
      base_schema = schema_name("base");
      *admin << "DROP SCHEMA IF EXISTS " + base_schema + " CASCADE";
      *admin << "CREATE SCHEMA " + base_schema;
      base_url = schema_url(base_schema);
      return;
    }
    // On tmpfs where there is one: the test is about detection, not durability (crash_test.cpp),
    // and 10,000 commits with synchronous=FULL cost seconds to minutes on a busy disk.
    std::error_code ec;
    fs::path tmp = fs::is_directory("/dev/shm", ec) && access("/dev/shm", W_OK) == 0 ? fs::path("/dev/shm") : fs::temp_directory_path();
    std::string pattern = (tmp / "subsidy-tamper-campaign-XXXXXX").string();
    REQUIRE(mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    base_url = "sqlite://" + (dir / "base.db").string();
  }
  ~Campaign() {
    if (postgres) {
      try {
        *admin << "DROP SCHEMA IF EXISTS " + base_schema + " CASCADE";
      } catch (...) {
        // A leftover schema is harmless; the next run of the same pid drops it.
      }
      return;
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }
  static std::string schema_name(const std::string& what) {
    return "tamper_campaign_" + std::to_string(getpid()) + "_" + what;
  }
  static std::string schema_url(const std::string& schema) {
    char separator = postgres_url().find('?') == std::string::npos ? '?' : '&';
    return postgres_url() + separator + "options=-csearch_path%3D" + schema;
  }

  // Replays a log with the signed heads kept beside it (copied with every tampered copy).
  app::ReplayReport replay(const std::string& url) {
    auto store = LogStore::open(url);
    REQUIRE_MESSAGE(store.ok(), store.error().message);
    auto heads = Heads::open(url);
    REQUIRE_MESSAGE(heads.ok(), heads.error().message);
    app::ReplayOptions options;
    options.catalogue = &catalogue;
    return app::replay(*store.value(), heads.value().get(), options);
  }

  // A fresh copy of the base log, tampered by f through a plain session, then replayed.
  app::ReplayReport tampered(const std::function<void(soci::session&)>& f) {
    std::string n = std::to_string(copies++);
    if (postgres) {
      std::string schema = schema_name("copy" + n);
      *admin << "DROP SCHEMA IF EXISTS " + schema + " CASCADE";
      *admin << "CREATE SCHEMA " + schema;
      std::vector<std::string> tables(100);
      *admin << "SELECT table_name FROM information_schema.tables WHERE table_schema = :s", soci::into(tables),
          soci::use(base_schema);
      for (const std::string& table : tables) {
        *admin << "CREATE TABLE " + schema + "." + table + " (LIKE " + base_schema + "." + table + " INCLUDING ALL)";
        *admin << "INSERT INTO " + schema + "." + table + " SELECT * FROM " + base_schema + "." + table;
      }
      std::string url = schema_url(schema);
      f(*open_raw(url));
      app::ReplayReport report = replay(url);
      *admin << "DROP SCHEMA " + schema + " CASCADE";
      return report;
    }
    fs::path base = dir / "base.db";
    fs::path copy = dir / ("copy-" + n + ".db");
    fs::copy_file(base, copy);
    std::string url = "sqlite://" + copy.string();
    {
      soci::session sql("sqlite3", "db=" + copy.string());  // no foreign keys enforced: a forger's session
      f(sql);
    }
    app::ReplayReport report = replay(url);
    fs::remove(copy);
    std::error_code ignored;
    fs::remove(copy.string() + "-wal", ignored);
    fs::remove(copy.string() + "-shm", ignored);
    return report;
  }
};

json::object record_at(soci::session& sql, long long seq) { return json::parse(record_text(sql, seq)).as_object(); }

void campaign(bool postgres, const std::uint64_t blocks) {
  const std::uint64_t total = blocks * decisions_per_block;
  using clock = std::chrono::steady_clock;
  auto started = clock::now();
  Campaign c(postgres);
  RulesetSet rulesets = generated_rulesets();
  std::string original_head;
  {
    auto opened = LogStore::open(c.base_url, test_log_options());
    REQUIRE_MESSAGE(opened.ok(), opened.error().message);
    LogStore& store = *opened.value();
    c.alg = store.hash_alg();
    Ledger ledger(rulesets, c.catalogue);
    FixedClock fixed(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
    DecisionRecorder recorder(store, ledger, rulesets, fixed);
    for (std::uint64_t i = 0; i < total; ++i) {
      GeneratedStep step = generated_step(i);
      auto seq = record_generated_step(recorder, step);
      REQUIRE_MESSAGE(seq.ok(), "step ", i, ": ", seq.error().message);
      REQUIRE(seq.value() == i + 1);
    }
    original_head = store.head().value().hash;
    // The head an auditor holds: signed over the whole, untampered log.
    auto heads = Heads::open(c.base_url);
    REQUIRE_MESSAGE(heads.ok(), heads.error().message);
    audit::SigningKey key = new_key();
    auto signed_head = heads.value()->sign(key, fixed);
    REQUIRE_MESSAGE(signed_head.ok(), signed_head.error().message);
  }
  auto recorded = clock::now();
  MESSAGE("recorded ", total, " decisions in ", std::chrono::duration<double>(recorded - started).count(), " s");

  // The log is mixed: approvals, cap and 以工代训 exclusions, holds, reviews, settlements with money.
  std::map<std::string, int> kinds;
  {
    auto raw = open_raw(c.base_url);
    soci::session& sql = *raw;
    long long last = 0;
    sql << "SELECT MAX(seq) FROM log", soci::into(last);
    for (long long seq = 1; seq <= last; ++seq) {
      std::string text = record_text(sql, seq);
      json::object r = json::parse(text).as_object();
      const json::object& d = r.at("decision").as_object();
      std::string program(r.at("request").as_object().contains("program") ? r.at("request").at("program").as_string() : "(review or settlement)");
      kinds[program + "/" + std::string(d.at("kind").as_string()) + "/" + std::string(d.at("outcome").as_string())]++;
    }
  }
  std::string summary;
  for (const auto& [k, n] : kinds) summary += k + "=" + std::to_string(n) + " ";
  MESSAGE("decisions: ", summary);
  CHECK(kinds.size() >= 5);

  app::ReplayReport clean = c.replay(c.base_url);
  auto replayed = clock::now();
  MESSAGE("replayed in ", std::chrono::duration<double>(replayed - recorded).count(), " s");
  REQUIRE_MESSAGE(clean.clean(), describe(clean));
  CHECK(clean.records == total);
  CHECK(clean.decisions == total);
  CHECK(clean.last_hash == original_head);

  // Targets in the second-to-last block (so that rechaining the tail stays cheap): block b.
  const long long b = static_cast<long long>(blocks) - 2;
  const long long block_first = b * decisions_per_block + 1;   // the project class
  const long long wft_round0 = block_first + 1 + 3;             // person 3 of the block, round 0
  const long long wft_round2 = block_first + 1 + 20 + 3;        // the same person, round 2 (capped)
  const long long settlement_seq = block_first + decisions_per_block - 1;
  {
    auto raw = open_raw(c.base_url);
    soci::session& sql = *raw;
    json::object r0 = record_at(sql, wft_round0);
    REQUIRE(r0.at("decision").at("outcome").as_string() == "approved");
    REQUIRE(r0.at("decision").at("approved_fen").to_number<std::int64_t>() > 0);
    json::object r2 = record_at(sql, wft_round2);
    REQUIRE(r2.at("claim_id") == json::value(std::string("HB-W-") + std::to_string(b * 10 + 3) + "-2"));
    REQUIRE(r2.at("decision").at("outcome").as_string() != "approved");
    std::string prejob = record_text(sql, block_first + 31);  // excluded by 以工代训 at the same entity
    CHECK(prejob.find("\"program\":\"pre_job_training\"") != std::string::npos);
    CHECK(prejob.find("excl.wft_prejob") != std::string::npos);
    REQUIRE(record_at(sql, settlement_seq).at("decision").at("kind").as_string() == "settlement");
  }
  const auto t = static_cast<std::uint64_t>(wft_round0);

  auto change = [&](long long seq, const std::function<void(json::object&)>& edit, bool rehash) {
    return c.tampered([&](soci::session& sql) {
      json::object r = record_at(sql, seq);
      edit(r);
      set_record(sql, seq, r);
      if (rehash) rechain(sql, c.alg, seq);
    });
  };
  auto caught_by_chain = [&](const app::ReplayReport& report, std::uint64_t seq) {
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK_MESSAGE(report.findings.front().seq == seq, describe(report));
    CHECK_MESSAGE(report.findings.front().field == "/hash", describe(report));
  };
  auto caught_by_replay = [&](const app::ReplayReport& report, std::uint64_t seq, const std::string& field_prefix) {
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK_MESSAGE(report.findings.front().seq == seq, describe(report));
    CHECK_MESSAGE(report.findings.front().field.rfind(field_prefix, 0) == 0, describe(report));
    CHECK_MESSAGE(report.records == total, describe(report));  // the chain held to the end
  };

  auto raise_amount = [](json::object& r) {
    json::object& d = r["decision"].as_object();
    d["approved_fen"] = d.at("approved_fen").to_number<std::int64_t>() + 100;
  };
  auto flip_outcome = [](json::object& r) { r["decision"].as_object()["outcome"] = "rejected"; };
  auto change_claim = [](json::object& r) { r["request"].as_object()["months"].as_array()[2] = "2020-12"; };
  auto change_time = [](json::object& r) { r["decided_at"] = "2020-11-02T00:00:00Z"; };

  {
    INFO("amount changed");
    caught_by_chain(change(wft_round0, raise_amount, false), t);
    caught_by_replay(change(wft_round0, raise_amount, true), t, "/decision/");
  }
  {
    INFO("outcome changed");
    caught_by_chain(change(wft_round0, flip_outcome, false), t);
    caught_by_replay(change(wft_round0, flip_outcome, true), t, "/decision/");
  }
  {
    INFO("claim field changed");
    caught_by_chain(change(wft_round0, change_claim, false), t);
    caught_by_replay(change(wft_round0, change_claim, true), t, "/decision/");
  }
  {
    INFO("settlement amount changed");
    caught_by_chain(change(settlement_seq, raise_amount, false), static_cast<std::uint64_t>(settlement_seq));
    caught_by_replay(change(settlement_seq, raise_amount, true), static_cast<std::uint64_t>(settlement_seq), "/decision/");
  }
  {
    INFO("decided_at changed");
    caught_by_chain(change(wft_round0, change_time, false), t);
    // With the chain recomputed, a moved timestamp is invisible to the chain and to
    // re-evaluation (evaluation never reads the clock): the signed head over the original log
    // catches it, its hash and Merkle root no longer those of the log.
    app::ReplayReport report = change(wft_round0, change_time, true);
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK(report.records == total);
    CHECK(report.last_hash != original_head);
    for (const auto& finding : report.findings) {
      CHECK_MESSAGE(finding.field.rfind("/head/", 0) == 0, describe(report));
      CHECK(finding.seq == total);
    }
  }
  {
    INFO("row deleted");
    caught_by_chain(c.tampered([&](soci::session& sql) { delete_records(sql, wft_round0, wft_round0); }), t);
    // Deleted and the rest renumbered and rechained: the person's later claims re-evaluate
    // differently (their round-0 months are no longer taken), named at the first of them.
    app::ReplayReport report = c.tampered([&](soci::session& sql) {
      delete_records(sql, wft_round0, wft_round0);
      long long shift = 10'000'000;
      sql << "UPDATE log SET seq = seq + :s WHERE seq > :seq", soci::use(shift), soci::use(wft_round0);
      sql << "UPDATE log SET seq = seq - :s1 - 1 WHERE seq >= :s2", soci::use(shift), soci::use(shift);
      rechain(sql, c.alg, wft_round0);
    });
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK_MESSAGE(report.findings.front().seq > t, describe(report));
    CHECK_MESSAGE(report.findings.front().field.rfind("/decision/", 0) == 0, describe(report));
    MESSAGE("deleted and rechained: ", describe(report));
  }
  {
    INFO("row inserted");
    caught_by_chain(c.tampered([&](soci::session& sql) { insert_copy_before(sql, wft_round0 + 1); }), t + 1);
    // The copy of an earlier decision inserted and the chain recomputed: re-evaluation refuses
    // a second decision of the same claim at the inserted seq.
    app::ReplayReport report = c.tampered([&](soci::session& sql) {
      insert_copy_before(sql, wft_round0 + 1);
      rechain(sql, c.alg, wft_round0 + 1);
    });
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK_MESSAGE(report.findings.front().seq == t + 1, describe(report));
    MESSAGE("inserted and rechained: ", describe(report));
  }
  {
    INFO("two rows swapped");
    caught_by_chain(c.tampered([&](soci::session& sql) { swap_records(sql, wft_round0, wft_round2); }), t);
    // Swapped and rechained: round 2 decided first re-evaluates as approved, not capped.
    caught_by_replay(c.tampered([&](soci::session& sql) {
                       swap_records(sql, wft_round0, wft_round2);
                       rechain(sql, c.alg, wft_round0);
                     }),
                     t, "/");
  }
  {
    INFO("tail truncated");
    // A log cut short is a shorter valid chain; the last signed head names the first missing seq
    // (audit.md: "a truncated tail (against the last signed head)").
    app::ReplayReport report =
        c.tampered([&](soci::session& sql) { delete_records(sql, static_cast<long long>(total) - 99, static_cast<long long>(total)); });
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK(report.last_seq == total - 100);
    CHECK(report.records == total - 100);
    CHECK_MESSAGE(report.findings.front().seq == total - 99, describe(report));
    CHECK_MESSAGE(report.findings.front().field == "/head/seq", describe(report));
  }
  {
    INFO("ruleset text changed after use");
    app::ReplayReport report = c.tampered([&](soci::session& sql) {
      std::string sha, text;
      sql << "SELECT sha256, text FROM rulesets LIMIT 1", soci::into(sha), soci::into(text);
      auto at = text.find("\"value\": 20000");
      REQUIRE(at != std::string::npos);
      text.replace(at, 14, "\"value\": 30000");
      sql << "UPDATE rulesets SET text = :t WHERE sha256 = :s", soci::use(text), soci::use(sha);
    });
    REQUIRE_MESSAGE(!report.clean(), describe(report));
    CHECK_MESSAGE(report.findings.front().seq == 1, describe(report));
    // The stored text no longer hashes to the sha256 the decisions name.
    CHECK_MESSAGE(report.findings.front().field.find("sha256") != std::string::npos, describe(report));
  }
  MESSAGE("campaign total ", std::chrono::duration<double>(clock::now() - started).count(), " s");
}

}  // namespace

TEST_CASE("sqlite: a log of 10320 real decisions replays clean and every tamper is named by seq") {
  campaign(false, 240);  // 240 blocks of 43: 10,320 decisions
}

// The same campaign on PostgreSQL with a shorter log (2,150 decisions): recording is several
// times slower there (one network round trip and commit per decision).
TEST_CASE("postgresql: a log of 2150 real decisions replays clean and every tamper is named by seq" *
          doctest::skip(postgres_url().empty())) {
  campaign(true, 50);
}
