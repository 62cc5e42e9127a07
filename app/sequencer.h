#pragma once
// The decision step of the server, in two stages on two threads (decision_pipeline.h): the
// decide stage decides a batch of requests in order against the State folded from the log
// (app/state.h), applying each decision to it as it is made so that the next request sees it;
// the commit stage appends the batch's records in one transaction (group commit) and only then
// answers them, each with its durable record, while the next batch is being decided. If a commit
// fails, nothing of that batch was stored: every request of it, and of any batch decided after it,
// is answered `unavailable`, and the state, which already held them, is folded again from the log.
//
// Same claim_id and same body (RFC 8785 canonical text, compared by SHA-256) as a stored claim,
// or as an earlier request of the same batch, → that decision (`existing`); another body → 409.

#include "app/apply.h"
#include "app/decision_pipeline.h"
#include "app/snapshot_writer.h"
#include "app/state.h"
#include "audit/signing.h"
#include "engine/decision.h"
#include "engine/follow_up.h"
#include "engine/ruleset_set.h"
#include "store/claim_index.h"
#include "store/clock.h"
#include "store/decision_record.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/registry_records.h"

#include <boost/json/value.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace subsidy::app {

struct PipelineJob {
  enum class Kind : std::uint8_t { claim, follow_up, event, registry_import, class_filing };
  Kind kind = Kind::claim;
  boost::json::value body;
  std::string claim_id;  // follow_up: the claim named by the path
  FollowUpKind follow_up = FollowUpKind::settlement;
  std::string token_id;
  DecisionPipeline::Done done;
  store::NewRecord event;  // Kind::event: a catalogue or budget record
  store::RegistryImportFacts import_facts;  // Kind::registry_import: the file and its persons
  std::vector<RegisteredPerson> persons;
  ClassFiling filing;  // Kind::class_filing
};

class Sequencer {
 public:
  struct Batch;  // a decided batch on its way to the writer (defined in sequencer.cpp)
  struct BatchDeleter {
    void operator()(Batch* batch) const;
  };
  using BatchPtr = std::unique_ptr<Batch, BatchDeleter>;

  // Opens the log (creating it on first start), folds it into the state, opens the claim index
  // and the signing key, and loads the rules. nullptr with error set on failure.
  // REQUIRES: clock outlives the sequencer.
  static std::unique_ptr<Sequencer> open(const PipelineSettings& settings, const store::Clock& clock,
                                         std::string& error);
  ~Sequencer();

  // The two stages of the pipeline, each on its own thread: decide_batch() decides batch N+1
  // while commit_batch() writes batch N. Batches are committed in the order they were decided.
  //
  // The decide stage: decides jobs (moved in) in order against the state, applying each decision
  // to it, and returns them as a batch; nothing is answered yet.
  // REQUIRES: jobs.size() <= store::record_format::read_records_max; !needs_refold().
  BatchPtr decide_batch(std::vector<PipelineJob> jobs);
  // The commit stage: appends the batch in one transaction and answers every job of it (each
  // job's done is called exactly once). A batch decided after a failed one is refused unwritten:
  // it was decided against decisions that were never stored.
  void commit_batch(Batch& batch);
  // Decide stage: whether a commit failed, so that the state must be folded again from the log
  // (refold_after_failure()) before the next batch is decided, once the writer has finished
  // every batch before it.
  bool needs_refold() const;
  // Decide stage, with the commit stage idle: folds the state again from the log. Errors:
  // message in error (the next batch is then refused, and the fold retried).
  bool refold_after_failure(std::string& error);

  // Any thread (an HTTP thread): a dry run of body against the state as it is now, under a
  // shared lock, so that eligibility checks never wait in the queue nor hold up the decide stage
  // for longer than one evaluation. The state may include decisions not yet committed, exactly
  // as the next decision of the queue would see it.
  PipelineReply check(const boost::json::value& body) const;
  // The filing of class_id as the decisions see it; nullopt when none is filed, or when the state
  // cannot be read (`readable` false).
  std::optional<ClassFilingEntry> class_filing(std::string_view class_id, bool& readable) const;
  // The same for the import of a file by its SHA-256.
  std::optional<RegistryImportEntry> registry_import(std::string_view sha256, bool& readable) const;

  // Commit stage. Signs a head if the log has grown since the last signed one. Errors: message in error.
  bool sign_head_if_behind(std::string& error);
  // Commit stage. Signs a head when sign_every records were appended since the last one.
  void sign_head_if_due();
  // With both stages stopped: writes the snapshot of the state (when the settings name a file and
  // the state is the committed log's). Errors: message in error.
  bool write_snapshot_at_stop(std::string& error);

 private:
  struct Answer;
  Sequencer() = default;

  // Decides the batch's jobs in order against the state (either stage: see decide_batch()).
  void decide_jobs(Batch& batch);
  void commit_following(Batch& batch);
  void commit_records(Batch& batch);
  void finish_commit(Batch& batch, std::vector<store::StoredRecord> stored);
  void decide_claim(PipelineJob& job, Batch& batch, Answer& answer);
  void decide_new_claim(PipelineJob& job, const Claim& claim, const std::string& sha, Batch& batch, Answer& answer);
  void decide_follow_up(PipelineJob& job, Batch& batch, Answer& answer);
  void stage_event(PipelineJob& job, Batch& batch, Answer& answer);
  void stage_registry_import(PipelineJob& job, Batch& batch, Answer& answer);
  void stage_class_filing(PipelineJob& job, Batch& batch, Answer& answer);
  void stage_record(store::NewRecord record, Batch& batch, Answer& answer);
  // Decide stage: apply() under the exclusive lock that check() waits for.
  store::Status apply_to_state(const AppliedRecord& record);
  bool stage(PipelineJob& job, const Claim& claim, Batch& batch, Answer& answer);
  void answer_all(Batch& batch, const std::string& failure, std::vector<store::StoredRecord> written);
  store::Status store_rulesets(const Batch& batch);
  // Appends one record of another type (a catalogue or budget record), alone in its batch, and
  // applies it to the state (a seeded catalogue, before the stages start). Errors as append().
  store::Result<std::uint64_t> append_other(store::NewRecord record);
  bool seed_catalogue(const std::string& file, std::string& error);
  bool fold_from_start(std::string& error);
  // The state from the snapshot file if there is one and the log still holds the record it
  // ends at, then the log's tail; else fold_from_start(). Says on stderr which, and how long.
  bool start_from_snapshot_or_log(std::string& error);
  void forget_committed_claims();

  const store::Clock* clock_ = nullptr;
  PipelineSettings settings_;
  std::unique_ptr<RulesetSet> rulesets_;

  // The decide stage's own: the state, a read connection to fold the log, the claim index.
  // Only the decide stage changes the state, holding state_mutex_ exclusively while it does;
  // check() reads it under a shared lock. state_readable_ is false while a fold failed.
  State state_;
  mutable std::shared_mutex state_mutex_;
  std::atomic<bool> state_readable_{true};
  std::unique_ptr<store::LogStore> reader_;
  std::unique_ptr<store::ClaimIndex> claims_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t epoch_ = 1;    // batches decided since the last fold of the state
  std::string state_error_;   // set when folding the state again failed
  // Claims of batches decided but maybe not committed yet, in seq order: a resubmission finds
  // them here before the claims table has them.
  struct InFlightClaim {
    std::uint64_t seq = 0;
    std::string body_sha256;
  };
  std::unordered_map<std::string, InFlightClaim> in_flight_;
  std::deque<std::pair<std::uint64_t, std::string>> in_flight_order_;
  Decision scratch_;
  std::unique_ptr<SnapshotWriter> snapshots_;  // none when the settings name no snapshot file
  std::uint64_t snapshot_seq_ = 0;             // the seq the last snapshot taken covers

  // The commit stage's own: the log's write connection, the ruleset archive, heads and key.
  std::unique_ptr<store::LogStore> log_;
  std::unique_ptr<store::RulesetArchive> archive_;
  std::unique_ptr<store::Heads> heads_;
  std::optional<audit::SigningKey> key_;
  std::uint64_t signed_seq_ = 0;

  // Shared by the two stages.
  std::atomic<std::uint64_t> committed_seq_{0};  // the last record the writer committed
  std::atomic<std::uint64_t> broken_epoch_{0};   // the epoch of the last batch whose commit failed
  // Another writer appends to the log (PipelineSettings::shared_log, or a batch found the log
  // moved): batches are then decided by the commit stage under the write lock, after folding the
  // records the others appended, and the decide stage only hands them on.
  std::atomic<bool> shared_{false};
};

}  // namespace subsidy::app
