#include "app/decision_pipeline.h"

#include "app/sequencer.h"
#include "store/clock.h"
#include "store/record_format.h"

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

// The queue in front of the sequencer thread. Requests wait here while the thread decides and
// commits the batch before them; everything waiting when it comes back is the next batch.
class QueuedPipeline final : public DecisionPipeline {
 public:
  QueuedPipeline(std::unique_ptr<Sequencer> sequencer, const PipelineSettings& settings)
      : sequencer_(std::move(sequencer)),
        queue_max_(settings.queue_max),
        batch_max_(std::clamp<std::size_t>(settings.batch_max, 1, store::record_format::read_records_max)),
        sign_interval_(std::max(settings.sign_interval, std::chrono::seconds(1))) {
    thread_ = std::thread([this] { run(); });
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
  bool try_check(boost::json::value body, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::check, std::move(done));
    job.body = std::move(body);
    return enqueue(std::move(job));
  }
  bool try_append_event(store::NewRecord record, Done done) override {
    PipelineJob job = new_job(PipelineJob::Kind::event, std::move(done));
    job.event = std::move(record);
    return enqueue(std::move(job));
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
    wake_.notify_one();
    if (thread_.joinable()) thread_.join();
    sign_if_behind();
  }

 private:
  bool enqueue(PipelineJob job) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || queue_.size() >= queue_max_) return false;
      queue_.push_back(std::move(job));
    }
    wake_.notify_one();
    return true;
  }

  void sign_if_behind() {
    std::string error;
    if (!sequencer_->sign_head_if_behind(error)) std::cerr << "subsidyd: signing a head failed: " << error << "\n";
  }

  void run() {
    std::vector<PipelineJob> batch;
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        if (!wake_.wait_for(lock, sign_interval_, [this] { return stopping_ || !queue_.empty(); })) {
          // Quiet for a while: publish a head for what was decided, so auditors need not wait
          // for sign_every more records.
          lock.unlock();
          sign_if_behind();
          continue;
        }
        // On stop, what was accepted is still decided: the queue drains before the thread ends.
        if (queue_.empty()) return;
        std::size_t n = std::min(queue_.size(), batch_max_);
        batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + n));
        queue_.erase(queue_.begin(), queue_.begin() + n);
      }
      sequencer_->run_batch(batch);
      batch.clear();
    }
  }

  std::unique_ptr<Sequencer> sequencer_;
  const std::size_t queue_max_;
  const std::size_t batch_max_;
  const std::chrono::seconds sign_interval_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<PipelineJob> queue_;
  bool stopping_ = false;
  std::thread thread_;
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
