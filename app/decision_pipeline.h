#pragma once
// The single writer of a database (issue 4, "The decision pipeline"): HTTP threads hand it parsed
// requests; one sequencer thread decides them in seq order against the current history and
// appends them in batches (group commit). A request is answered only after its decision is
// durable. A full queue is refused at once (the caller answers 503 + Retry-After) rather than
// slowing everyone down. Dry runs (eligibility) are decided on the caller's thread against the
// state the next decision will see (a shared lock on it), and are never logged.

#include "engine/class_filing.h"
#include "engine/follow_up.h"
#include "engine/problem.h"
#include "engine/registry.h"
#include "store/log_store.h"
#include "store/record.h"
#include "store/registry_records.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::app {

// What became of a request; the HTTP layer maps each to its status (api.md).
enum class PipelineOutcome : std::uint8_t {
  created,      // 201: decided and durable; body is the decision record
  existing,     // 200: same claim_id and same body as a stored claim; body is the stored decision
  checked,      // 200: a dry run; body is the decision with "dry_run": true, no seq
  invalid,      // 422: problems name the fields (engine or parser)
  not_found,    // 404: a settlement or review of an unknown claim
  conflict,     // 409: same claim_id with another body; a second settlement; a review of lines not held
  unavailable,  // 503: the store failed; nothing of the request was stored
};

struct PipelineReply {
  PipelineOutcome outcome = PipelineOutcome::unavailable;
  // created, existing: the record as stored, which the HTTP layer renders (api/decision_view.h)
  // on its own threads; nullopt otherwise.
  std::optional<store::StoredRecord> record;
  std::string text;          // checked: the answer's JSON text (engine/decision_json.h dry_run_text)
  boost::json::object body;  // what a test's fake pipeline answers when text is empty
  std::string detail;        // plain words for a problem's "detail"
  Problems problems;         // for invalid: pointers into the request body
  bool replaced = false;     // try_append_event, created: the record replaced an entry or budget
};

struct PipelineSettings {
  std::string database_url;               // as LogStore::open takes it
  std::vector<std::string> rules;         // ruleset files and directories loaded at start
  std::string key_file;                   // the log's signing key (created 0600 if absent)
  // The algorithms of a new log; a log that names others is refused at start.
  store::LogAlgorithms algorithms;
  std::size_t queue_max = 10'000;         // requests waiting; beyond: try_* returns false
  std::size_t batch_max = 512;            // decisions per commit
  std::uint64_t sign_every = 1'000;       // sign a head at least every this many records,
  std::chrono::seconds sign_interval{10};  // and when the log has grown and this long passed quietly
  // A catalogue file (the format of examples/catalogue.json) whose entries and budgets are logged
  // as catalogue and budget records when the log has no catalogue yet (a first start, a demo).
  // "" for none: then entries come only from the admin API.
  std::string seed_catalogue_file;
  // The state's snapshot (snapshot.h): read at start, written every snapshot_every records and
  // at stop. "" for none.
  std::string snapshot_file;
  std::uint64_t snapshot_every = 100'000;
  // Other servers append to the same log (PostgreSQL): every batch is decided under the log's
  // write lock after folding what they appended. Without it a server switches to this itself
  // when a commit finds the log moved (that batch, and the one decided after it, answer 503).
  bool shared_log = false;
  // Called on the sequencer thread after each group commit with its number of records (/metrics).
  std::function<void(std::size_t)> on_commit;
};

class DecisionPipeline {
 public:
  // Called once, on the commit thread (a dry run: on the caller's), when the request is done
  // (durable, or refused).
  using Done = std::function<void(PipelineReply)>;

  // Opens the store, loads the rules and the key, signs a head if the log has grown since the
  // last one (a crash, a seeded catalogue), starts the sequencer thread.
  // Errors (message): the store, rules or key cannot be opened.
  static std::unique_ptr<DecisionPipeline> start(const PipelineSettings& settings, std::string& error);
  virtual ~DecisionPipeline() = default;

  // Each returns false, without calling done, when the queue is full (503 + Retry-After).
  // body is the request as received (already parsed as JSON: duplicate keys, depth and UTF-8
  // were checked by the HTTP layer); token_id is the caller's token, logged with the decision.
  virtual bool try_submit_claim(boost::json::value body, std::string token_id, Done done) = 0;
  // A settlement or a clerk's review of claim_id (engine/follow_up.h).
  virtual bool try_submit_follow_up(FollowUpKind kind, std::string claim_id, boost::json::value body,
                                    std::string token_id, Done done) = 0;
  // A dry run: done may be called on the calling thread, before this returns.
  virtual bool try_check(boost::json::value body, Done done) = 0;
  // A catalogue or budget record (store/catalogue_records.h builds them from an admin's PUT),
  // logged in seq order with the decisions and applied to the catalogue every later decision
  // sees. Its decided_at is set here, when it is sequenced. Reply: created, with the record as
  // stored (seq, hash) as body; invalid (problems name the record's members); unavailable.
  virtual bool try_append_event(store::NewRecord record, Done done) = 0;
  // A person registry import read and checked by the caller (engine/registry_import.h): logged in
  // seq order as its parts (store/registry_records.h), every later decision seeing the persons.
  // Reply: created, with the last part as stored (from its seq on the registry holds all of the
  // import); existing, when a file of this SHA-256 was imported before, with that import's last
  // part; unavailable. REQUIRES: facts.persons == persons.size().
  virtual bool try_import_registry(store::RegistryImportFacts facts, std::vector<RegisteredPerson> persons,
                                   std::string token_id, Done done) = 0;
  // A class filing (registry.md §2), already parsed and authorized: logged in seq order, every
  // later decision seeing it. Reply: created, with the record as stored; existing, when this
  // class_id was filed with this same filing, with that record; conflict, when it was filed with
  // another; unavailable.
  virtual bool try_file_class(ClassFiling filing, std::string token_id, Done done) = 0;
  // The filing of class_id as the decisions see it, with its seq; nullopt when none is filed.
  // Errors: unavailable when the state cannot be read (the log failed to fold).
  struct ClassFilingLookup {
    bool available = true;
    std::optional<ClassFilingEntry> entry;
  };
  virtual ClassFilingLookup find_class_filing(std::string_view class_id) const = 0;
  // The import of the file with this SHA-256 (lowercase hex) as the decisions see it; nullopt when
  // no such file was imported. Errors: unavailable when the state cannot be read.
  struct RegistryImportLookup {
    bool available = true;
    std::optional<RegistryImportEntry> entry;
  };
  virtual RegistryImportLookup find_registry_import(std::string_view sha256) const = 0;

  // Requests waiting now (a /metrics gauge), and a hint for Retry-After.
  virtual std::size_t queue_depth() const = 0;
  virtual std::chrono::seconds retry_after() const = 0;

  // Finishes every accepted request, signs a head, stops the thread. Idempotent.
  virtual void stop() = 0;
};

}  // namespace subsidy::app
