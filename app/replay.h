#pragma once
// The auditor's replay (audit.md "Replay"), independent of the server: reads every record of a
// log in seq order (from the store, or from a JSON Lines export), re-verifies each record's hash
// and the chain (audit/hash_chain.h), and re-decides every claim and settlement from an empty
// state with the exact ruleset texts the record names by sha256, comparing the recomputed
// decision with the logged one member by member. Every finding names the seq and the field.
//
// For a database it also checks every signed head kept with the log (replay(store, heads, ...)):
// each head's signature under its own public key and key_id (and, given
// ReplayOptions::trusted_key, that it is that key; otherwise that every head names the same key
// as the first), that record head.seq exists and has the head's hash, that the Merkle root over
// the records 1..head.seq (recomputed here from the records read) is the head's merkle_root, and
// that each head extends the previous one (an RFC 9162 consistency proof between consecutive
// sizes). A log that ends before a head is a finding naming the first missing seq. Head
// findings name the head's seq and a field under "/head" ("/head/merkle_root").
//
// Every record is applied in seq order to a State (app/apply.h), the same fold the server's
// state is: each decision is re-decided against the history and catalogue as they were when it
// was made (the catalogue starts as ReplayOptions::catalogue, empty by default). After a finding
// on a decision the state takes the decision as logged, as the server's state did, so that one
// changed record is named once rather than in every decision after it.
//
// For a database, the store's read() checks each record's hash, chain and canonical form
// (store/chain_check.h) before the replay sees it; the replay then takes the canonical text apart
// and compares the recomputed decision's canonical text with the logged bytes, naming the first
// differing field on a mismatch (a JSON Lines export is checked and compared the same way here).
//
// Not yet: signed heads for a JSON Lines export.

#include "audit/digest.h"
#include "engine/memory_catalogue.h"
#include "audit/signing.h"
#include "store/heads.h"
#include "store/log_store.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::app {

struct ReplayFinding {
  std::uint64_t seq = 0;
  std::string field;    // a JSON Pointer into the record ("/decision/approved_fen"), or "hash"
  std::string message;  // what differs, in plain words
};

struct ReplayReport {
  std::uint64_t records = 0;      // records read
  std::uint64_t decisions = 0;    // decision records re-evaluated
  std::uint64_t last_seq = 0;     // seq of the last record read
  std::uint64_t heads = 0;        // signed heads checked
  std::string last_hash;          // its hash (hex); "" for an empty log
  std::vector<ReplayFinding> findings;
  bool clean() const { return findings.empty(); }
};

// Where a replay's time went, in seconds (for the benchmark; steady_clock around each step).
struct ReplayTimings {
  std::uint64_t records = 0;
  double read_chain = 0;  // reading rows, recomputing hashes, checking canonical form and chain
  double parse = 0;       // parsing record JSON and the claim or settlement
  double evaluate = 0;    // deciding again with the engine
  double compare = 0;     // rendering the recomputed decision and comparing it with the logged one
};

struct ReplayOptions {
  // The catalogue before the log's first record; nullptr: an empty one. Catalogue and budget
  // records in the log are applied to a copy of it.
  const MemoryCatalogue* catalogue = nullptr;
  // Called after each record with its seq (a progress bar).
  std::function<void(std::uint64_t)> progress;
  // The log's public key as the auditor knows it (not from the log): every signed head must be
  // signed with it. nullopt: each head is checked under the key it names, and all must name the
  // key of the first head.
  std::optional<audit::PublicKey> trusted_key;
  // If set, the time of each step is added to it (costs two clock reads a step).
  ReplayTimings* timings = nullptr;
};

// Where ruleset texts come from, by sha256: the store, or files given on the command line.
using RulesetTexts = std::function<std::optional<std::string>(const std::string& sha256)>;

// Replays the log in store. A record the store refuses to read (a broken chain) is a finding;
// nothing after it can be checked.
ReplayReport replay(store::LogStore& store, const ReplayOptions& options = {});

// The same, and the log is also checked against every signed head in heads (opened on the same
// database), as described above. heads == nullptr: no head is checked.
ReplayReport replay(store::LogStore& store, store::Heads* heads, const ReplayOptions& options = {});

// The public key of --trusted-key: base64 of the raw key (as GET /v1/audit/head publishes it;
// 32 bytes: Ed25519, 65 bytes: SM2), or a file holding that text. nullopt, with error set,
// otherwise.
std::optional<audit::PublicKey> parse_trusted_key(const std::string& file_or_base64, std::string& error);

// Replays a JSON Lines export (each line a record with its "hash"), hashed with alg, using the
// ruleset texts of rulesets.
ReplayReport replay_jsonl(std::istream& in, audit::HashAlg alg, const RulesetTexts& rulesets,
                          const ReplayOptions& options = {});

// The first place where recomputed differs from logged, as a JSON Pointer under prefix, and a
// message; nullopt when they are equal (numbers compare by value, objects by member name).
std::optional<ReplayFinding> first_difference(const boost::json::value& logged, const boost::json::value& recomputed,
                                              const std::string& prefix);

// Asks the C library to keep freed memory in the process rather than return it to the kernel
// after every page of records (which then faults every page in again): about 10% of a replay's
// CPU time. Process-wide; the replay tools call it once at start.
void keep_freed_memory();

// The report as JSON: {"records", "decisions", "last_seq", "last_hash", "clean", "findings": [{seq, field, message}]}.
boost::json::object report_to_json(const ReplayReport& report);

}  // namespace subsidy::app
