#pragma once
// The decision step of the server, run by one thread (decision_pipeline.h): decides a batch of
// requests in order against the State folded from the log (app/state.h), applying each decision
// to it as it is made so that the next request sees it, appends the batch's records in one
// transaction (group commit), and only then answers them, each with its durable record. If the
// commit fails, nothing of the batch was stored: every request of it is answered `unavailable`
// and the state, which already held the batch, is folded again from the log.
//
// Same claim_id and same body (RFC 8785 canonical text, compared by SHA-256) as a stored claim,
// or as an earlier request of the same batch, → that decision (`existing`); another body → 409.

#include "app/decision_pipeline.h"
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

#include <boost/json/value.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace subsidy::app {

struct PipelineJob {
  enum class Kind : std::uint8_t { claim, follow_up, check, event };
  Kind kind = Kind::check;
  boost::json::value body;
  std::string claim_id;  // follow_up: the claim named by the path
  FollowUpKind follow_up = FollowUpKind::settlement;
  std::string token_id;
  DecisionPipeline::Done done;
  store::NewRecord event;  // Kind::event: a catalogue or budget record
};

class Sequencer {
 public:
  // Opens the log (creating it on first start), folds it into the state, opens the claim index
  // and the signing key, and loads the rules. nullptr with error set on failure.
  // REQUIRES: clock outlives the sequencer.
  static std::unique_ptr<Sequencer> open(const PipelineSettings& settings, const store::Clock& clock,
                                         std::string& error);
  ~Sequencer();

  // Decides, appends and answers every job (each job's done is called exactly once).
  // REQUIRES: jobs.size() <= store::record_format::read_records_max.
  void run_batch(std::span<PipelineJob> jobs);

  // Signs a head if the log has grown since the last signed one. Errors: message in error.
  bool sign_head_if_behind(std::string& error);
  // Signs a head when sign_every records were appended since the last one.
  void sign_head_if_due();

  // Appends one record of another type (a catalogue or budget record), alone in its batch, and
  // applies it to the state. Errors as LogStore::append().
  store::Result<std::uint64_t> append_other(store::NewRecord record);
  std::uint64_t head_seq() const { return next_seq_ - 1; }

 private:
  struct Answer;
  struct Batch;
  Sequencer() = default;

  void decide_claim(PipelineJob& job, Batch& batch, Answer& answer);
  void decide_new_claim(PipelineJob& job, const Claim& claim, const std::string& sha, Batch& batch, Answer& answer);
  void decide_follow_up(PipelineJob& job, Batch& batch, Answer& answer);
  void check_claim(PipelineJob& job, Answer& answer);
  void stage_event(PipelineJob& job, Batch& batch, Answer& answer);
  bool stage(PipelineJob& job, const Claim& claim, Batch& batch, Answer& answer);
  void commit(std::span<PipelineJob> jobs, Batch& batch);
  bool seed_catalogue(const std::string& file, std::string& error);
  bool refold(std::string& error);
  void forget_uncommitted();
  void fail_batch(std::span<PipelineJob> jobs, const std::string& why);

  const store::Clock* clock_ = nullptr;
  PipelineSettings settings_;
  std::unique_ptr<RulesetSet> rulesets_;
  std::unique_ptr<store::LogStore> log_;
  State state_;
  std::string state_error_;  // set when the state could not be folded again after a failed commit
  std::unique_ptr<store::ClaimIndex> claims_;
  std::unique_ptr<store::Heads> heads_;
  std::optional<audit::SigningKey> key_;
  std::unique_ptr<store::RulesetArchive> archive_;
  Decision scratch_;
  std::uint64_t next_seq_ = 1;
  std::uint64_t signed_seq_ = 0;
};

}  // namespace subsidy::app
