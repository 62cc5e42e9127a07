#include "fake_pipeline.h"

#include "engine/class_filing_parser.h"

#include "engine/claim_parser.h"
#include "engine/follow_up.h"

#include <boost/json/object.hpp>

namespace subsidy::api::test {

FakePipeline::FakePipeline() {
  worker_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    for (;;) {
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty()) return;
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job();
      lock.lock();
    }
  });
}

FakePipeline::~FakePipeline() { stop(); }

void FakePipeline::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !worker_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void FakePipeline::post(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    jobs_.push_back(std::move(job));
  }
  wake_.notify_all();
}

PipelineReply FakePipeline::reply_for(const boost::json::value& body, bool check) {
  PipelineReply reply;
  auto parsed = parse_claim(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    reply.outcome = PipelineOutcome::invalid;
    reply.detail = "the claim is not valid";
    reply.problems = *problems;
    return reply;
  }
  ++submitted;
  reply.outcome = check ? PipelineOutcome::checked : next_outcome.load();
  boost::json::object decision{{"claim_id", body.at("claim_id")}, {"outcome", "approved"}};
  if (check) decision["dry_run"] = true;
  else decision["seq"] = 1;
  if (reply.outcome == PipelineOutcome::conflict) reply.detail = "this claim_id was decided with another body";
  if (reply.outcome == PipelineOutcome::unavailable) reply.detail = "the store failed";
  if (reply.outcome == PipelineOutcome::created || reply.outcome == PipelineOutcome::existing ||
      reply.outcome == PipelineOutcome::checked) {
    reply.body = std::move(decision);
  }
  return reply;
}

bool FakePipeline::try_submit_claim(boost::json::value body, std::string token_id, Done done) {
  if (refuse) return false;
  if (body.is_object() && body.as_object().contains("throw")) throw std::runtime_error("pipeline failure (test)");
  {
    std::lock_guard lock(mutex_);
    last_token_id = token_id;
  }
  post([this, body = std::move(body), done = std::move(done)] { done(reply_for(body, false)); });
  return true;
}

bool FakePipeline::try_submit_follow_up(FollowUpKind kind, std::string claim_id, boost::json::value body, std::string,
                                        Done done) {
  if (refuse) return false;
  post([this, kind, claim_id, body = std::move(body), done = std::move(done)] {
    PipelineReply reply;
    auto parsed = parse_follow_up(kind, body);
    if (auto* problems = std::get_if<Problems>(&parsed)) {
      reply.outcome = PipelineOutcome::invalid;
      reply.problems = *problems;
    } else {
      ++submitted;
      reply.outcome = next_outcome.load();
      if (reply.outcome == PipelineOutcome::not_found) reply.detail = "no claim " + claim_id;
      if (reply.outcome == PipelineOutcome::created) {
        std::string_view name = follow_up_kind_names[static_cast<std::size_t>(kind)];
        reply.body = boost::json::object{{"claim_id", claim_id}, {"kind", name}, {"seq", 2}};
      }
    }
    done(std::move(reply));
  });
  return true;
}

bool FakePipeline::try_check(boost::json::value body, Done done) {
  if (refuse) return false;
  post([this, body = std::move(body), done = std::move(done)] { done(reply_for(body, true)); });
  return true;
}

bool FakePipeline::try_append_event(store::NewRecord record, Done done) {
  if (refuse) return false;
  post([record = std::move(record), done = std::move(done)] {
    PipelineReply r;
    r.outcome = PipelineOutcome::created;
    r.body = record.body;
    r.body["type"] = record.type;
    done(std::move(r));
  });
  return true;
}

}  // namespace subsidy::api::test

namespace subsidy::api::test {

bool FakePipeline::try_import_registry(store::RegistryImportFacts facts, std::vector<RegisteredPerson> persons,
                                       std::string token_id, Done done) {
  if (refuse) return false;
  {
    std::lock_guard lock(mutex_);
    last_token_id = token_id;
    last_import = std::move(persons);
  }
  ++submitted;
  post([this, facts = std::move(facts), done = std::move(done)] {
    PipelineReply r;
    r.outcome = next_outcome.load();
    r.body = {{"type", "registry_import"},
              {"seq", 7},
              {"import", {{"sha256", facts.sha256},
                          {"format", store::registry_format_name(facts.format)},
                          {"rows", facts.rows},
                          {"persons", facts.persons}}}};
    done(std::move(r));
  });
  return true;
}

bool FakePipeline::try_file_class(ClassFiling filing, std::string token_id, Done done) {
  if (refuse) return false;
  {
    std::lock_guard lock(mutex_);
    last_token_id = token_id;
    filed.push_back(filing);
  }
  ++submitted;
  post([this, filing = std::move(filing), done = std::move(done)] {
    PipelineReply r;
    r.outcome = next_outcome.load();
    r.body = {{"type", "class_filing"}, {"seq", 9}, {"decided_at", "2020-06-29T02:00:00Z"}, {"filing", class_filing_json(filing)}};
    if (r.outcome == PipelineOutcome::conflict) r.detail = "class " + filing.class_id + " was filed with another filing";
    done(std::move(r));
  });
  return true;
}

DecisionPipeline::ClassFilingLookup FakePipeline::find_class_filing(std::string_view class_id) const {
  std::lock_guard lock(mutex_);
  ClassFilingLookup lookup;
  for (const ClassFiling& f : filed) {
    if (f.class_id == class_id) lookup.entry = ClassFilingEntry{f, 9};
  }
  return lookup;
}

}  // namespace subsidy::api::test
