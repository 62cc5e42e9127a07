// The auditor's replay against the signed heads kept with the log (app/replay.h): a
// recorded log with signed heads replays clean, heads included; a truncated tail is named by its
// first missing seq; a head re-signed with another key is caught (against the first head's key,
// and against a trusted key); a tail rewritten with a valid fresh chain is caught by the Merkle
// root and hash of the signed head.

#include "audit/base64.h"
#include "audit/hash_chain.h"
#include "audit/signed_head.h"
#include "audit/signing.h"
#include "claim_generator.h"
#include "engine/ledger.h"
#include "engine/memory_catalogue.h"
#include "store/clock.h"
#include "store/decision_recorder.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store_fixture.h"
#include "app/replay.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

using namespace subsidy;
using namespace subsidy::store;
using namespace subsidy::store::test;
namespace json = boost::json;

namespace {

// A log of 60 records: 40 recorded work_for_training decisions and then 20 catalogue records,
// with a head signed on the empty log and at sizes 10, 20, 30, 40, 45, 50, 55 and 60.
struct Logged {
  std::vector<SignedHead> heads;
};

Logged record_log(TestDb& db, LogStore& store, Heads& heads, const audit::SigningKey& key) {
  RulesetSet rulesets = generated_rulesets();
  MemoryCatalogue catalogue;
  Ledger ledger(rulesets, catalogue);
  FixedClock clock(std::chrono::sys_days(std::chrono::year(2020) / 11 / 1));
  DecisionRecorder recorder(store, ledger, rulesets, clock);
  Logged out;
  int t = 0;
  auto first = heads.sign(key, clock_at(t++));
  REQUIRE(first.ok());
  out.heads.push_back(first.value());
  auto sign = [&](std::uint64_t size) {
    auto h = heads.sign(key, clock_at(t++));
    REQUIRE(h.ok());
    CHECK(h.value().head.seq == size);
    out.heads.push_back(h.value());
  };
  // The recorder must be the log's only writer while it records; the catalogue records follow.
  for (int round = 0; round < 4; ++round) {
    for (int person = 0; person < 10; ++person) {
      auto seq = recorder.record_claim(generated_wft_claim(person, round));
      REQUIRE_MESSAGE(seq.ok(), seq.error().message);
    }
    sign(static_cast<std::uint64_t>(10 * (round + 1)));
  }
  for (int round = 0; round < 4; ++round) {
    std::vector<NewRecord> batch;
    for (int i = 0; i < 5; ++i) batch.push_back(catalogue_record(round * 5 + i));
    REQUIRE(store.append(batch).ok());
    sign(static_cast<std::uint64_t>(45 + 5 * round));
  }
  (void)db;
  return out;
}

bool has_finding(const app::ReplayReport& report, std::uint64_t seq, const std::string& field) {
  return std::any_of(report.findings.begin(), report.findings.end(),
                     [&](const app::ReplayFinding& f) { return f.seq == seq && f.field == field; });
}

std::string describe(const app::ReplayReport& report) { return json::serialize(app::report_to_json(report)); }

// Replaces a stored head's signature, public key and key id, as one with database access would.
void resign(soci::session& sql, const SignedHead& h, const audit::SigningKey& other) {
  std::string signature = audit::sign_head(other, h.head).value();
  std::string public_key = audit::base64_encode(other.public_key().raw);
  std::string key_id = audit::key_id(h.head.hash_alg, other.public_key());
  long long seq = static_cast<long long>(h.head.seq);
  sql << "UPDATE signed_heads SET signature = :s, public_key = :p, key_id = :k WHERE seq = :seq AND signed_at = :t",
      soci::use(signature), soci::use(public_key), soci::use(key_id), soci::use(seq), soci::use(h.head.signed_at);
}

}  // namespace

STORE_TEST("a recorded log with signed heads replays clean with every head checked") {
  auto store = db.open();
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  Logged logged = record_log(db, *store, *heads, key);

  app::ReplayReport report = app::replay(*store, heads.get());
  CHECK_MESSAGE(report.clean(), describe(report));
  CHECK(report.records == 60);
  CHECK(report.decisions == 40);
  CHECK(report.heads == 9);

  // With the log's key as the trusted key: still clean.
  app::ReplayOptions trusted;
  trusted.trusted_key = key.public_key();
  report = app::replay(*store, heads.get(), trusted);
  CHECK_MESSAGE(report.clean(), describe(report));

  // The trusted key parses from base64 and from a file holding it.
  std::string error;
  std::string b64 = audit::base64_encode(key.public_key().raw);
  auto parsed = app::parse_trusted_key(b64, error);
  REQUIRE(parsed.has_value());
  CHECK(*parsed == key.public_key());
  std::string file = std::filesystem::temp_directory_path().string() + "/trusted-key-" +
                     std::string(backend_name(store->backend())) + ".b64";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    REQUIRE(f != nullptr);
    std::fputs((b64 + "\n").c_str(), f);
    std::fclose(f);
  }
  auto from_file = app::parse_trusted_key(file, error);
  std::filesystem::remove(file);
  REQUIRE(from_file.has_value());
  CHECK(*from_file == key.public_key());
  CHECK_FALSE(app::parse_trusted_key("not a key", error).has_value());

  // Under another trusted key every head is a finding, named by its seq.
  audit::SigningKey other = new_key();
  app::ReplayOptions wrong;
  wrong.trusted_key = other.public_key();
  report = app::replay(*store, heads.get(), wrong);
  CHECK_FALSE(report.clean());
  for (const SignedHead& h : logged.heads) CHECK(has_finding(report, h.head.seq, "/head/public_key"));
}

STORE_TEST("replay names the first missing seq of a tail truncated below the signed head") {
  auto store = db.open();
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  record_log(db, *store, *heads, key);

  delete_tail(*db.raw(), 52);
  // The shorter chain is valid on its own: only the signed head shows the loss.
  CHECK(store->verify_chain().ok());
  app::ReplayReport report = app::replay(*store, heads.get());
  CHECK(report.records == 52);
  REQUIRE_FALSE(report.clean());
  CHECK_MESSAGE(has_finding(report, 53, "/head/seq"), describe(report));
  CHECK(report.findings.size() == 1);
  CHECK(report.findings.front().message.find("record 53 is missing") != std::string::npos);

  // Without the heads, the truncation goes unseen.
  CHECK(app::replay(*store).clean());
}

STORE_TEST("replay catches a head re-signed with another key") {
  auto store = db.open();
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  Logged logged = record_log(db, *store, *heads, key);
  audit::SigningKey other = new_key();

  // The latest head re-signed by another key: its signature verifies under the key it names,
  // but that is not the key of the earlier heads.
  resign(*db.raw(), logged.heads.back(), other);
  app::ReplayReport report = app::replay(*store, heads.get());
  CHECK_MESSAGE(has_finding(report, 60, "/head/public_key"), describe(report));
  CHECK(report.findings.size() == 1);
  app::ReplayOptions trusted;
  trusted.trusted_key = key.public_key();
  report = app::replay(*store, heads.get(), trusted);
  CHECK(has_finding(report, 60, "/head/public_key"));
  CHECK(report.findings.size() == 1);

  // Every head re-signed by the other key: consistent in itself, so only the trusted key shows it.
  for (const SignedHead& h : logged.heads) resign(*db.raw(), h, other);
  CHECK(app::replay(*store, heads.get()).clean());
  report = app::replay(*store, heads.get(), trusted);
  CHECK(report.findings.size() == logged.heads.size());
  for (const SignedHead& h : logged.heads) CHECK(has_finding(report, h.head.seq, "/head/public_key"));

  // A signature replaced without its key does not verify at all.
  REQUIRE(logged.heads[3].head.seq == 30);
  resign(*db.raw(), logged.heads[3], key);
  std::string foreign = audit::sign_head(other, logged.heads[3].head).value();
  long long seq = 30;
  *db.raw() << "UPDATE signed_heads SET signature = :s WHERE seq = :seq", soci::use(foreign), soci::use(seq);
  report = app::replay(*store, heads.get(), trusted);
  CHECK_MESSAGE(has_finding(report, 30, "/head/signature"), describe(report));
}

STORE_TEST("a tail rewritten with a valid chain is caught by the signed head's Merkle root") {
  auto store = db.open();
  auto heads = open_heads(db);
  audit::SigningKey key = new_key();
  record_log(db, *store, *heads, key);
  audit::HashAlg alg = store->hash_alg();

  // Catalogue record 57 changed, and 57..60 re-chained with fresh hashes as a forger would.
  auto raw = db.raw();
  long long before = 56;
  std::string prev_hex;
  *raw << "SELECT hash FROM log WHERE seq = :seq", soci::into(prev_hex), soci::use(before);
  audit::Digest prev = *audit::digest_from_hex(prev_hex);
  for (long long seq = 57; seq <= 60; ++seq) {
    json::object record = json::parse(record_text(*raw, seq)).as_object();
    if (seq == 57) record["entry"].as_object()["standard_fen"] = 990000;  // still a well-formed put
    std::string prev_text = audit::to_hex(prev);
    record["prev_hash"] = prev_text;
    auto canonical = audit::record_canonical_bytes(record);
    REQUIRE(canonical.ok());
    prev = audit::chain_hash(alg, prev, canonical.value());
    std::string hash = audit::to_hex(prev);
    *raw << "UPDATE log SET record = :r, prev_hash = :p, hash = :h WHERE seq = :seq", soci::use(canonical.value()),
        soci::use(prev_text), soci::use(hash), soci::use(seq);
  }
  CHECK(store->verify_chain().ok());
  CHECK(app::replay(*store).clean());  // the chain alone cannot tell

  app::ReplayReport report = app::replay(*store, heads.get());
  REQUIRE_FALSE(report.clean());
  CHECK_MESSAGE(has_finding(report, 60, "/head/merkle_root"), describe(report));
  CHECK(has_finding(report, 60, "/head/hash"));
  // The earlier heads still match, and no record's own hash is at fault.
  for (const auto& f : report.findings) {
    CHECK(f.seq == 60);
    CHECK(f.field.starts_with("/head/"));
  }
}
