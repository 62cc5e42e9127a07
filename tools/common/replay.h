#pragma once
// The auditor's replay (audit.md "Replay"), independent of the server: reads every record of a
// log in seq order (from the store, or from a JSON Lines export), re-verifies each record's hash
// and the chain (audit/hash_chain.h), and re-decides every claim and settlement from an empty
// state with the exact ruleset texts the record names by sha256, comparing the recomputed
// decision with the logged one member by member. Every finding names the seq and the field.
//
// Not yet: the Merkle root against a signed head, catalogue and budget records (the decisions are
// re-evaluated against ReplayOptions::catalogue, an empty catalogue by default), and reviews.

#include "audit/digest.h"
#include "engine/catalogue.h"
#include "store/log_store.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::tools {

struct ReplayFinding {
  std::uint64_t seq = 0;
  std::string field;    // a JSON Pointer into the record ("/decision/approved_fen"), or "hash"
  std::string message;  // what differs, in plain words
};

struct ReplayReport {
  std::uint64_t records = 0;      // records read
  std::uint64_t decisions = 0;    // decision records re-evaluated
  std::uint64_t last_seq = 0;     // seq of the last record read
  std::string last_hash;          // its hash (hex); "" for an empty log
  std::vector<ReplayFinding> findings;
  bool clean() const { return findings.empty(); }
};

struct ReplayOptions {
  // The catalogue decisions are re-evaluated against; nullptr: an empty one. (Catalogue records
  // in the log are not applied yet.)
  const CatalogueView* catalogue = nullptr;
  // Called after each record with its seq (a progress bar).
  std::function<void(std::uint64_t)> progress;
};

// Where ruleset texts come from, by sha256: the store, or files given on the command line.
using RulesetTexts = std::function<std::optional<std::string>(const std::string& sha256)>;

// Replays the log in store. A record the store refuses to read (a broken chain) is a finding;
// nothing after it can be checked.
ReplayReport replay(store::LogStore& store, const ReplayOptions& options = {});

// Replays a JSON Lines export (each line a record with its "hash"), hashed with alg, using the
// ruleset texts of rulesets.
ReplayReport replay_jsonl(std::istream& in, audit::HashAlg alg, const RulesetTexts& rulesets,
                          const ReplayOptions& options = {});

// The first place where recomputed differs from logged, as a JSON Pointer under prefix, and a
// message; nullopt when they are equal (numbers compare by value, objects by member name).
std::optional<ReplayFinding> first_difference(const boost::json::value& logged, const boost::json::value& recomputed,
                                              const std::string& prefix);

// The report as JSON: {"records", "decisions", "last_seq", "last_hash", "clean", "findings": [{seq, field, message}]}.
boost::json::object report_to_json(const ReplayReport& report);

}  // namespace subsidy::tools
