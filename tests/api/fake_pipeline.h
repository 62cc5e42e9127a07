#pragma once
// A DecisionPipeline for the HTTP tests: it validates bodies with the engine's own parsers (so an
// invalid claim gets the real pointers) and otherwise answers what the test scripted, from a
// thread of its own as the real sequencer does. The HTTP layer's mapping of every outcome to a
// status is tested against it (a body with a "throw" member makes try_submit_claim throw); the real pipeline is the lead's (api/decision_pipeline.cpp).

#include "api/services.h"  // the pipeline interface, as api/ names it

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace subsidy::api::test {

class FakePipeline final : public DecisionPipeline {
 public:
  FakePipeline();
  ~FakePipeline() override;

  bool try_submit_claim(boost::json::value body, std::string token_id, Done done) override;
  bool try_submit_follow_up(FollowUpKind kind, std::string claim_id, boost::json::value body, std::string token_id,
                            Done done) override;
  bool try_check(boost::json::value body, Done done) override;
  bool try_append_event(store::NewRecord record, Done done) override;
  // Answers next_outcome with a part that names the import (seq 7), and keeps the persons.
  bool try_import_registry(store::RegistryImportFacts facts, std::vector<RegisteredPerson> persons,
                           std::string token_id, Done done) override;
  // Answers next_outcome with the filing as a record at seq 9; find_class_filing finds it after.
  bool try_file_class(ClassFiling filing, std::string token_id, Done done) override;
  ClassFilingLookup find_class_filing(std::string_view class_id) const override;
  // Finds nothing: the HTTP tests of imports run on the real pipeline (registry_import_test.cpp).
  RegistryImportLookup find_registry_import(std::string_view) const override { return {}; }
  std::size_t queue_depth() const override { return 0; }
  std::chrono::seconds retry_after() const override { return std::chrono::seconds(3); }
  void stop() override;

  // What the next valid requests are answered (created/checked by default); refuse: queue full.
  std::atomic<PipelineOutcome> next_outcome{PipelineOutcome::created};
  std::atomic<bool> refuse{false};
  std::atomic<int> submitted{0};  // valid requests that reached the fake
  std::string last_token_id;      // guarded by mutex_
  std::vector<RegisteredPerson> last_import;  // guarded by mutex_
  std::vector<ClassFiling> filed;             // guarded by mutex_

 private:
  void post(std::function<void()> job);
  PipelineReply reply_for(const boost::json::value& body, bool check);

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace subsidy::api::test
