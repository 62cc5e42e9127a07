#include "app/decision_pipeline.h"

#include "app/sequencer.h"
#include "store/clock.h"
#include "store/record_format.h"

#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>

namespace subsidy::app {
namespace {

PipelineJob new_job(PipelineJob::Kind kind, DecisionPipeline::Done done) {
  PipelineJob job;
  job.kind = kind;
  job.done = std::move(done);
  return job;
}

// The queue in front of the two stages. The decide thread takes everything waiting as the next
// batch and decides it; the commit thread writes and answers the batch before it meanwhile. One
// decided batch waits for the writer at most, so a client's answer is at most two commits away.
class QueuedPipeline final : public DecisionPipeline {
 public:
  QueuedPipeline(std::unique_ptr<Sequencer> sequencer, const PipelineSettings& settings)
      : sequencer_(std::move(sequencer)),
        queue_max_(settings.queue_max),
        batch_max_(std::clamp<std::size_t>(settings.batch_max, 1, store::record_format::read_records_max)),
        sign_interval_(std::max(settings.sign_interval, std::chrono::seconds(1))) {
    // Named, so that top -H and perf show which stage is busy.
    writer_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "subsidyd-commit");
      write();
    });
    decider_ = std::thread([this] {
      pthread_setname_np(pthread_self(), "subsidyd-decide");
      decide();
    });
  }

  ~QueuedPipeline() override { stop(); }

  bool try_submit_claim(boost::json::value body, std::string token_id, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::claim, std::move(done));
    job.body = std::move(body);
    job.token_id = std::move(token_id);
    return enqueue(std::move(job));
  }

  bool try_submit_follow_up(FollowUpKind kind, std::string claim_id, boost::json::value body, std::string token_id,
                            Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::follow_up, std::move(done));
    job.follow_up = kind;
    job.claim_id = std::move(claim_id);
    job.body = std::move(body);
    job.token_id = std::move(token_id);
    return enqueue(std::move(job));
  }

  // Decided here, on the caller's thread, against the state under a shared lock: dry runs
  // never queue behind decisions (issue 10).
  bool try_check(boost::json::value body, Done done) override {
    done(sequencer_->check(body));
    return true;
  }

  bool try_append_event(store::NewRecord record, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::event, std::move(done));
    job.event = std::move(record);
    return enqueue(std::move(job));
  }

  bool try_import_registry(store::RegistryImportFacts facts, std::vector<RegisteredPerson> persons,
                           std::string token_id, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::registry_import, std::move(done));
    job.import_facts = std::move(facts);
    job.persons = std::move(persons);
    job.token_id = std::move(token_id);
    return enqueue(std::move(job));
  }

  bool try_file_class(ClassFiling filing, std::string token_id, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::class_filing, std::move(done));
    job.filing = std::move(filing);
    job.token_id = std::move(token_id);
    return enqueue(std::move(job));
  }

  ClassFilingLookup find_class_filing(std::string_view class_id) const override {
    ClassFilingLookup lookup;
    lookup.entry = sequencer_->class_filing(class_id, lookup.available);
    return lookup;
  }

  RegistryImportLookup find_registry_import(std::string_view sha256) const override {
    RegistryImportLookup lookup;
    lookup.entry = sequencer_->registry_import(sha256, lookup.available);
    return lookup;
  }

  std::size_t queue_depth() const override {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  std::chrono::seconds retry_after() const override { return std::chrono::seconds(1); }

  void stop() override {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    wake_.notify_all();
    if (decider_.joinable()) decider_.join();
    if (writer_.joinable()) writer_.join();
    sign_if_behind();
    std::string error;
    if (!sequencer_->write_snapshot_at_stop(error)) std::cerr << "subsidyd: writing the snapshot failed: " << error << "\n";
  }

 private:
  bool enqueue(PipelineJob job) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queue_.size() >= queue_max_) return false;
      queue_.push_back(std::move(job));
    }
    wake_.notify_all();
    return true;
  }

  void sign_if_behind() {
    std::string error;
    if (!sequencer_->sign_head_if_behind(error)) std::cerr << "subsidyd: signing a head failed: " << error << "\n";
  }

  // The decide stage. On stop, what was accepted is still decided: the queue drains first.
  void decide() {
    std::vector<PipelineJob> jobs;
    std::vector<Sequencer::BatchPtr> finished;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) break;
        std::size_t n = std::min(queue_.size(), batch_max_);
        jobs.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
        queue_.erase(queue_.begin(), queue_.begin() + n);
        finished.swap(finished_);
      }
      finished.clear();  // freed here: freeing their JSON was a tenth of the commit thread's time
      if (sequencer_->needs_refold()) refold_when_writer_idle();
      Sequencer::BatchPtr batch = sequencer_->decide_batch(std::move(jobs));
      jobs.clear();
      std::unique_lock lock(mutex_);
      handed_.wait(lock, [this] { return !decided_; });
      decided_ = std::move(batch);
      handed_.notify_all();
    }
    std::lock_guard lock(mutex_);
    deciding_done_ = true;
    handed_.notify_all();
  }

  // A commit failed: every batch before this one must be written (or refused) before the state
  // is folded again from the log.
  void refold_when_writer_idle() {
    {
      std::unique_lock lock(mutex_);
      handed_.wait(lock, [this] { return !decided_ && !writing_; });
    }
    std::string error;
    if (!sequencer_->refold_after_failure(error)) std::cerr << "subsidyd: folding the log again failed: " << error << "\n";
  }

  // The commit stage; quiet for sign_interval, it publishes a head for what was committed, so
  // auditors need not wait for sign_every more records.
  void write() {
    for (;;) {
      Sequencer::BatchPtr batch;
      {
        std::unique_lock lock(mutex_);
        if (!handed_.wait_for(lock, sign_interval_, [this] { return decided_ || deciding_done_; })) {
          lock.unlock();
          sign_if_behind();
          continue;
        }
        if (!decided_) return;  // deciding is done and nothing is left
        batch = std::move(decided_);
        writing_ = true;
        handed_.notify_all();
      }
      sequencer_->commit_batch(*batch);
      sequencer_->sign_head_if_due();
      std::lock_guard lock(mutex_);
      finished_.push_back(std::move(batch));  // the decide thread frees it
      writing_ = false;
      handed_.notify_all();
    }
  }

  std::unique_ptr<Sequencer> sequencer_;
  const std::size_t queue_max_;
  const std::size_t batch_max_;
  const std::chrono::seconds sign_interval_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;    // the queue has jobs, or stop
  std::condition_variable handed_;  // the hand-off slot or the writer changed
  std::deque<PipelineJob> queue_;
  Sequencer::BatchPtr decided_;  // decided, waiting for the writer
  std::vector<Sequencer::BatchPtr> finished_;  // committed and answered, to be freed
  bool writing_ = false;
  bool deciding_done_ = false;
  bool stopping_ = false;
  std::thread writer_;
  std::thread decider_;
};

}  // namespace

std::unique_ptr<DecisionPipeline> DecisionPipeline::start(const PipelineSettings& settings, std::string& error) {
  static store::SystemClock clock;  // stateless; shared by every pipeline of the process
  auto sequencer = Sequencer::open(settings, clock, error);
  if (!sequencer) return nullptr;
  if (!sequencer->sign_head_if_behind(error)) {
    error = "signing a head: " + error;
    return nullptr;
  }
  return std::make_unique<QueuedPipeline>(std::move(sequencer), settings);
}

}  // namespace subsidy::app
