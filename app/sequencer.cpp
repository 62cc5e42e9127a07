#include "app/sequencer.h"

#include "app/apply.h"
#include "app/files.h"
#include "app/log_fold.h"
#include "app/snapshot.h"
#include "app/state_codec.h"
#include "audit/canonical_json.h"
#include "audit/digest.h"
#include "audit/key_file.h"
#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/decision_json.h"
#include "engine/evaluator.h"
#include "engine/follow_up.h"
#include "engine/ledger.h"
#include "store/catalogue_records.h"
#include "store/class_filing_records.h"
#include "store/record_format.h"

#include <boost/json/string.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <iostream>
#include <utility>

namespace subsidy::app {

namespace json = boost::json;
namespace rf = store::record_format;

// What a job will be answered once the batch's fate is known.
struct Sequencer::Answer {
  PipelineReply reply;
  std::optional<std::size_t> record;  // created (or existing within this batch): index into Batch::records
  std::uint64_t stored_seq = 0;       // existing in the store: its seq
};

struct Sequencer::Batch {
  struct StagedClaim {
    std::string body_sha256;
    std::size_t record = 0;
  };
  std::vector<PipelineJob> jobs;
  std::vector<store::NewRecord> records;  // seqs first_seq, first_seq + 1, ...
  std::vector<Answer> answers;            // by job
  std::unordered_map<std::string, StagedClaim> claims;  // claim_id → its staged initial decision
  std::uint64_t first_seq = 0;
  std::uint64_t epoch = 0;
  std::string failure;  // deciding failed: every job is answered unavailable, nothing written
  std::string snapshot;  // encode_state() after this batch when a snapshot is due; written once committed
  bool deferred = false;  // a shared log: decided by the commit stage, under the write lock
  bool large = false;     // holds a registry import: its memory is given back once committed
};

namespace {

// The token id catalogue records carry when they come from --catalogue rather than the admin API.
constexpr std::string_view seed_token_id = "seed";

PipelineReply refusal(PipelineOutcome outcome, std::string detail, Problems problems = {}) {
  PipelineReply r;
  r.outcome = outcome;
  r.detail = std::move(detail);
  r.problems = std::move(problems);
  return r;
}

PipelineReply refusal(const EvalStatus& status) {
  switch (status.code) {
    case EvalCode::not_found: return refusal(PipelineOutcome::not_found, status.message);
    case EvalCode::conflict: return refusal(PipelineOutcome::conflict, status.message, status.problems);
    case EvalCode::invalid_input:
    case EvalCode::overflow:
    case EvalCode::ok: break;
  }
  return refusal(PipelineOutcome::invalid, status.message.empty() ? "the request is invalid" : status.message,
                 status.problems);
}

// Hex SHA-256 of the canonical text of body, as the claims table keeps it; nullopt when body
// has no canonical form (an integer beyond 2^53, for one).
std::optional<std::string> body_sha256(const json::value& body, std::string& error) {
  auto canonical = audit::canonical_json(body);
  if (!canonical.ok()) {
    error = canonical.error().message;
    return std::nullopt;
  }
  return audit::to_hex(audit::hash(audit::HashAlg::sha256, audit::as_bytes(canonical.value())));
}

// Whether a catalogue or budget record replaces an entry or budget the catalogue has now.
// REQUIRES: check_record_body() accepted the record.
bool replaces_entry(const CatalogueView& catalogue, const store::NewRecord& record) {
  const json::object& b = record.body;
  if (record.type == rf::type_budget) {
    auto program = parse_enum<Program>(b.at("program").get_string());
    return program && catalogue.budget(*program, static_cast<int>(b.at("year").to_number<std::int64_t>())).has_value();
  }
  std::string_view key = b.at("key").get_string();
  if (b.at("kind").get_string() == "institution") return catalogue.any_institution(key) != nullptr;
  return catalogue.any_project(key) != nullptr;
}

}  // namespace

Sequencer::~Sequencer() = default;

std::unique_ptr<Sequencer> Sequencer::open(const PipelineSettings& settings, const store::Clock& clock,
                                           std::string& error) {
  std::unique_ptr<Sequencer> s(new Sequencer());
  s->clock_ = &clock;
  s->settings_ = settings;
  // Rulesets are named by SHA-256 whatever the log's algorithms: an OpenSSL without it (a broken
  // installation, a FIPS-only configuration without the FIPS provider) is refused here, in words.
  if (audit::Status sha256 = audit::check_hash_alg_available(audit::HashAlg::sha256); !sha256.ok()) {
    error = "OpenSSL: " + sha256.error().message;
    return nullptr;
  }
  auto loaded = load_rulesets({settings.rules.begin(), settings.rules.end()});
  if (auto* errors = std::get_if<std::vector<std::string>>(&loaded)) {
    error = "rules: " + (errors->empty() ? std::string("no ruleset found") : errors->front());
    return nullptr;
  }
  s->rulesets_ = std::make_unique<RulesetSet>(std::move(std::get<RulesetSet>(loaded)));
  s->archive_ = std::make_unique<store::RulesetArchive>(*s->rulesets_);
  auto fail = [&](const std::string& what, const store::StoreError& e) {
    error = what + ": " + e.message;
    return nullptr;
  };
  const store::LogAlgorithms wanted = settings.algorithms;
  auto log = store::LogStore::open(settings.database_url, {wanted.hash, wanted.sig});
  if (!log.ok()) return fail("database", log.error());
  s->log_ = std::move(log.value());
  if (s->log_->algorithms() != wanted) {
    error = "database: the log uses " + store::algorithms_name(s->log_->algorithms()) + " but the settings say " +
            store::algorithms_name(wanted) + " (--hash-alg " + std::string(audit::hash_alg_name(wanted.hash)) +
            " --sig-alg " + std::string(audit::sig_alg_name(wanted.sig)) +
            "); a log keeps the algorithms it was created with";
    return nullptr;
  }
  auto reader = store::LogStore::open(settings.database_url, {wanted.hash, wanted.sig});
  if (!reader.ok()) return fail("database", reader.error());
  s->reader_ = std::move(reader.value());
  if (!settings.snapshot_file.empty()) s->snapshots_ = std::make_unique<SnapshotWriter>(settings.snapshot_file);
  if (!s->start_from_snapshot_or_log(error)) return nullptr;
  auto claims = store::ClaimIndex::open(settings.database_url);
  if (!claims.ok()) return fail("claims", claims.error());
  s->claims_ = std::move(claims.value());
  auto heads = store::Heads::open(settings.database_url);
  if (!heads.ok()) return fail("heads", heads.error());
  s->heads_ = std::move(heads.value());
  auto key = audit::load_or_create_key_file(settings.key_file, wanted.sig);
  if (!key.ok()) {
    error = "signing key " + settings.key_file + " (" + std::string(audit::sig_alg_name(wanted.sig)) +
            "): " + key.error().message;
    return nullptr;
  }
  // Never a server that starts and then cannot sign its heads (a libssl upgrade once broke SM2).
  if (audit::Status tested = key.value().self_test(); !tested.ok()) {
    error = "signing key " + settings.key_file + ": " + tested.error().message;
    return nullptr;
  }
  s->key_.emplace(std::move(key.value()));
  if (auto latest = s->heads_->latest(); latest.ok()) s->signed_seq_ = latest.value().head.seq;
  if (!settings.seed_catalogue_file.empty() && !s->seed_catalogue(settings.seed_catalogue_file, error)) return nullptr;
  s->committed_seq_ = s->state_.seq();
  s->shared_ = settings.shared_log;
  return s;
}

store::Status Sequencer::apply_to_state(const AppliedRecord& record) {
  std::unique_lock lock(state_mutex_);
  return apply(state_, record);
}

bool Sequencer::stage(PipelineJob& job, const Claim& claim, Batch& batch, Answer& answer) {
  std::uint64_t seq = next_seq_;
  json::object decision = numbered_decision_json(seq, scratch_);
  // The next request of the batch sees this decision, as it will after the commit.
  const Claim* initial = scratch_.kind == DecisionKind::initial ? &claim : nullptr;
  if (store::Status s = apply_to_state(decision_record(seq, initial, scratch_)); !s.ok()) {
    answer.reply = refusal(PipelineOutcome::unavailable, "the decision cannot be applied: " + s.error().message);
    return false;
  }
  ++next_seq_;
  std::string claim_id = job.kind == PipelineJob::Kind::claim ? claim.claim_id : job.claim_id;
  batch.records.push_back(
      store::make_decision_record(job.body, claim_id, std::move(decision), store::rfc3339_now(*clock_), job.token_id));
  answer.record = batch.records.size() - 1;
  answer.reply.outcome = PipelineOutcome::created;
  return true;
}

void Sequencer::decide_claim(PipelineJob& job, Batch& batch, Answer& answer) {
  auto parsed = parse_claim(job.body);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    answer.reply = refusal(PipelineOutcome::invalid, "the claim is invalid", std::move(*problems));
    return;
  }
  const Claim& claim = std::get<Claim>(parsed);
  std::string error;
  std::optional<std::string> sha = body_sha256(job.body, error);
  if (!sha) {
    answer.reply = refusal(PipelineOutcome::invalid, "the claim has no canonical form", {{"", error}});
    return;
  }
  auto same_body = [&](const std::string& stored) {
    if (stored == *sha) return true;
    answer.reply = refusal(PipelineOutcome::conflict,
                           "claim_id " + claim.claim_id + " was already submitted with another body");
    return false;
  };
  if (auto staged = batch.claims.find(claim.claim_id); staged != batch.claims.end()) {
    if (same_body(staged->second.body_sha256)) {
      answer.record = staged->second.record;
      answer.reply.outcome = PipelineOutcome::existing;
    }
    return;
  }
  // Decided in an earlier batch the writer may not have committed yet: answered once it has.
  if (auto flying = in_flight_.find(claim.claim_id); flying != in_flight_.end()) {
    if (same_body(flying->second.body_sha256)) {
      answer.stored_seq = flying->second.seq;
      answer.reply.outcome = PipelineOutcome::existing;
    }
    return;
  }
  // The state knows every claim_id of the log; only a resubmission needs the stored body's hash.
  if (!state_.history().has_claim(claim.claim_id)) return decide_new_claim(job, claim, *sha, batch, answer);
  auto stored = claims_->find(claim.claim_id);
  if (!stored.ok()) {
    answer.reply = refusal(PipelineOutcome::unavailable, "looking up the claim failed: " + stored.error().message);
    return;
  }
  if (stored.value()) {
    if (same_body(stored.value()->body_sha256)) {
      answer.stored_seq = stored.value()->seq;
      answer.reply.outcome = PipelineOutcome::existing;
    }
    return;
  }
  // In the state but not in the claims table: the log and its index disagree.
  answer.reply = refusal(PipelineOutcome::unavailable, "claim " + claim.claim_id + " is in the log but not in its claim index");
}

void Sequencer::decide_new_claim(PipelineJob& job, const Claim& claim, const std::string& sha, Batch& batch, Answer& answer) {
  EvalStatus status = decide(claim, state_.history(), state_.catalogue(), state_.systems(), *rulesets_, scratch_);
  if (!status.ok()) {
    answer.reply = refusal(status);
    return;
  }
  if (!stage(job, claim, batch, answer)) return;
  batch.claims[claim.claim_id] = {sha, *answer.record};
  in_flight_[claim.claim_id] = {next_seq_ - 1, sha};
  in_flight_order_.emplace_back(next_seq_ - 1, claim.claim_id);
}

void Sequencer::decide_follow_up(PipelineJob& job, Batch& batch, Answer& answer) {
  auto parsed = parse_follow_up(job.follow_up, job.body);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    std::string kind(follow_up_kind_names[static_cast<std::size_t>(job.follow_up)]);
    answer.reply = refusal(PipelineOutcome::invalid, "the " + kind + " is invalid", std::move(*problems));
    return;
  }
  EvalStatus status = subsidy::decide_follow_up(job.claim_id, std::get<FollowUpRequest>(parsed), state_.history(),
                                                state_.catalogue(), state_.systems(), *rulesets_, scratch_);
  if (!status.ok()) {
    answer.reply = refusal(status);
    return;
  }
  stage(job, state_.history().claim(job.claim_id)->claim, batch, answer);
}

PipelineReply Sequencer::check(const json::value& body) const {
  auto parsed = parse_claim(body);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    return refusal(PipelineOutcome::invalid, "the claim is invalid", std::move(*problems));
  }
  Decision decision;
  EvalStatus status;
  {
    std::shared_lock lock(state_mutex_);
    if (!state_readable_.load()) {
      return refusal(PipelineOutcome::unavailable, "the server cannot read its log; try again later");
    }
    status = decide(std::get<Claim>(parsed), state_.history(), state_.catalogue(), state_.systems(), *rulesets_, decision);
  }
  if (!status.ok()) return refusal(status);
  PipelineReply reply;
  reply.outcome = PipelineOutcome::checked;
  reply.text = dry_run_text(decision);
  return reply;
}

void Sequencer::stage_event(PipelineJob& job, Batch& batch, Answer& answer) {
  store::NewRecord& record = job.event;
  record.body[rf::decided_at_field] = store::rfc3339_now(*clock_);
  if (store::Status s = store::check_record_body(record.type, record.body); !s.ok()) {
    answer.reply = refusal(PipelineOutcome::invalid, s.error().message);
    return;
  }
  if (record.type != rf::type_catalogue && record.type != rf::type_budget) {
    answer.reply = refusal(PipelineOutcome::invalid, "only catalogue and budget records are appended this way");
    return;
  }
  // Decided here, in seq order, so that of two PUTs of one new key exactly one is answered 201.
  answer.reply.replaced = replaces_entry(state_.catalogue(), record);
  stage_record(std::move(record), batch, answer);
}

// A record other than a decision takes the next seq and is applied to the state now, so that the
// next claim of this batch sees it, as it will after the commit; one the state refuses is invalid.
void Sequencer::stage_record(store::NewRecord record, Batch& batch, Answer& answer) {
  json::object logged = record.body;
  logged[rf::type_field] = record.type;
  if (store::Status s = apply_to_state(catalogue_record(next_seq_, record.type, logged)); !s.ok()) {
    answer.reply = refusal(PipelineOutcome::invalid, s.error().message);
    return;
  }
  ++next_seq_;
  batch.records.push_back(std::move(record));
  answer.record = batch.records.size() - 1;
  answer.reply.outcome = PipelineOutcome::created;
}

// An import's parts, consecutive in this batch (one transaction: no decision falls between them),
// each applied to the state as the log will hold it. The same file again is the first import.
void Sequencer::stage_registry_import(PipelineJob& job, Batch& batch, Answer& answer) {
  if (const RegistryImportEntry* known = state_.registry().import_of(job.import_facts.sha256)) {
    // Committed by the time this batch is answered: batches are committed in order, and one
    // decided after a batch that failed is refused whole.
    answer.stored_seq = known->last_seq;
    answer.reply.outcome = PipelineOutcome::existing;
    std::vector<RegisteredPerson>().swap(job.persons);  // read for nothing: handed back now (below)
    malloc_trim(0);
    return;
  }
  std::vector<store::NewRecord> parts =
      store::registry_import_records(job.import_facts, job.persons, job.token_id, store::rfc3339_now(*clock_));
  std::vector<RegisteredPerson>().swap(job.persons);  // the parts hold them now (= {} kept the capacity)
  // The reader built them on an HTTP thread, in that thread's malloc arena, which the state built
  // next on this thread does not reuse: handed back now (BENCHMARKS.md, "Registry import": 116 MiB
  // less at a million persons).
  malloc_trim(0);
  // Each part applied as the log will hold it. The persons were checked by the reader, so a part
  // refused here is a bug: the batch fails and the state, holding part of the import, is refolded.
  for (store::NewRecord& part : parts) {
    store::Result<json::object> logged = store::body_object(part);
    if (!logged.ok()) throw std::runtime_error("a registry import part: " + logged.error().message);
    logged.value()[rf::type_field] = part.type;
    if (store::Status s = apply_to_state(catalogue_record(next_seq_, part.type, logged.value())); !s.ok()) {
      throw std::runtime_error("applying a registry import part: " + s.error().message);
    }
    ++next_seq_;
    batch.records.push_back(std::move(part));
  }
  batch.large = true;
  answer.record = batch.records.size() - 1;
  answer.reply.outcome = PipelineOutcome::created;
}

// A class filing: the same class_id and filing again is the first one; another filing under a
// class_id filed before is a conflict (registry.md §2).
void Sequencer::stage_class_filing(PipelineJob& job, Batch& batch, Answer& answer) {
  if (const ClassFilingEntry* known = state_.systems().class_filing(job.filing.class_id)) {
    if (known->filing == job.filing) {
      answer.stored_seq = known->seq;  // committed by the time this batch is answered, as above
      answer.reply.outcome = PipelineOutcome::existing;
    } else {
      answer.reply = refusal(PipelineOutcome::conflict, "class " + job.filing.class_id + " was filed at seq " +
                                                            std::to_string(known->seq) + " with another filing");
    }
    return;
  }
  stage_record(store::class_filing_record(job.filing, job.token_id, store::rfc3339_now(*clock_)), batch, answer);
}

std::optional<ClassFilingEntry> Sequencer::class_filing(std::string_view class_id, bool& readable) const {
  std::shared_lock lock(state_mutex_);
  readable = state_readable_.load();
  const ClassFilingEntry* entry = readable ? state_.systems().class_filing(class_id) : nullptr;
  return entry ? std::optional<ClassFilingEntry>(*entry) : std::nullopt;
}

std::optional<RegistryImportEntry> Sequencer::registry_import(std::string_view sha256, bool& readable) const {
  std::shared_lock lock(state_mutex_);
  readable = state_readable_.load();
  const RegistryImportEntry* entry = readable ? state_.registry().import_of(sha256) : nullptr;
  return entry ? std::optional<RegistryImportEntry>(*entry) : std::nullopt;
}

// The state, folded from the log's first record; next_seq_ follows it.
bool Sequencer::fold_from_start(std::string& error) {
  std::unique_lock lock(state_mutex_);
  state_ = State();
  auto folded = fold_log(state_, *reader_);
  next_seq_ = state_.seq() + 1;
  state_readable_ = folded.ok();
  if (!folded.ok()) {
    error = "folding the log: " + folded.error().message;
    return false;
  }
  return true;
}

bool Sequencer::start_from_snapshot_or_log(std::string& error) {
  const auto started = std::chrono::steady_clock::now();
  auto took_ms = [&] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  };
  if (snapshots_) {
    store::Result<Snapshot> snapshot = read_snapshot_file(snapshots_->path());
    std::string why;
    if (!snapshot.ok()) {
      why = snapshot.error().message;
    } else if (Seq seq = snapshot.value().state.seq(); seq > 0) {
      auto record = reader_->read(seq, 1);
      if (!record.ok()) {
        why = "reading record " + std::to_string(seq) + ": " + record.error().message;
      } else if (record.value().empty() || record.value().front().hash != snapshot.value().hash) {
        why = "the log's record " + std::to_string(seq) + " is not the one the snapshot ends at";
      }
    }
    if (why.empty()) {
      std::unique_lock lock(state_mutex_);
      state_ = std::move(snapshot.value().state);
      snapshot_seq_ = state_.seq();
      auto tail = fold_log(state_, *reader_);
      next_seq_ = state_.seq() + 1;
      if (tail.ok()) {
        std::cerr << "subsidyd: state from the snapshot at seq " << snapshot_seq_ << " and " << tail.value()
                  << " records of the log after it, in " << took_ms() << " ms\n";
        return true;
      }
      why = "folding the log after it: " + tail.error().message;
    }
    if (!snapshot.ok() && snapshot.error().code == store::StoreCode::not_found) {
      why.clear();  // a first start, or snapshots just switched on: nothing to say
    } else {
      std::cerr << "subsidyd: not starting from " << why << "; folding the log from seq 1\n";
    }
  }
  snapshot_seq_ = 0;
  if (!fold_from_start(error)) return false;
  std::cerr << "subsidyd: state folded from the log's " << state_.seq() << " records in " << took_ms() << " ms\n";
  return true;
}

bool Sequencer::write_snapshot_at_stop(std::string& error) {
  if (!snapshots_ || needs_refold() || state_.seq() == 0 || state_.seq() != committed_seq_.load()) return true;
  auto record = reader_->read(state_.seq(), 1);
  if (!record.ok() || record.value().empty()) {
    error = "reading record " + std::to_string(state_.seq()) + ": " +
            (record.ok() ? std::string("missing") : record.error().message);
    return false;
  }
  if (store::Status s = snapshots_->write_now(encode_state(state_), state_.seq(), record.value().front().hash);
      !s.ok()) {
    error = s.error().message;
    return false;
  }
  return true;
}

bool Sequencer::needs_refold() const { return broken_epoch_.load() == epoch_ || !state_error_.empty(); }

bool Sequencer::refold_after_failure(std::string& error) {
  // The state may hold decisions and catalogue entries that were never stored; the log is the truth.
  in_flight_.clear();
  in_flight_order_.clear();
  ++epoch_;
  state_error_.clear();
  if (fold_from_start(error)) {
    // A snapshot taken of a batch that then failed was dropped with it: count from what is stored.
    snapshot_seq_ = std::min(snapshot_seq_, state_.seq());
    return true;
  }
  state_error_ = error;
  return false;
}

void Sequencer::forget_committed_claims() {
  const std::uint64_t committed = committed_seq_.load();
  while (!in_flight_order_.empty() && in_flight_order_.front().first <= committed) {
    auto it = in_flight_.find(in_flight_order_.front().second);
    if (it != in_flight_.end() && it->second.seq == in_flight_order_.front().first) in_flight_.erase(it);
    in_flight_order_.pop_front();
  }
}

void Sequencer::BatchDeleter::operator()(Batch* batch) const { delete batch; }

Sequencer::BatchPtr Sequencer::decide_batch(std::vector<PipelineJob> jobs) {
  BatchPtr batch(new Batch());
  batch->jobs = std::move(jobs);
  batch->answers.resize(batch->jobs.size());
  batch->epoch = epoch_;
  // Another writer appends to this log: the batch is decided when the write lock is held, against
  // the log as it then is (commit_following). Nothing of the state is touched on this thread.
  if (shared_.load()) {
    batch->deferred = true;
    return batch;
  }
  batch->first_seq = next_seq_;
  decide_jobs(*batch);
  return batch;
}

void Sequencer::decide_jobs(Batch& batch) {
  forget_committed_claims();
  if (!state_error_.empty()) {
    batch.failure = "the server cannot read its log: " + state_error_;
    return;
  }
  try {
    for (std::size_t i = 0; i < batch.jobs.size(); ++i) {
      PipelineJob& job = batch.jobs[i];
      Answer& answer = batch.answers[i];
      switch (job.kind) {
        case PipelineJob::Kind::claim: decide_claim(job, batch, answer); break;
        case PipelineJob::Kind::follow_up: decide_follow_up(job, batch, answer); break;
        case PipelineJob::Kind::event: stage_event(job, batch, answer); break;
        case PipelineJob::Kind::registry_import: stage_registry_import(job, batch, answer); break;
        case PipelineJob::Kind::class_filing: stage_class_filing(job, batch, answer); break;
      }
    }
  } catch (const std::exception& e) {
    // Half a batch may be in the state: refuse it whole and fold the state again.
    batch.failure = std::string("deciding failed: ") + e.what();
    broken_epoch_ = epoch_;
  }
  // Taken here, where the state is this batch's end, and written by the commit stage once the
  // batch is durable (a batch that fails to commit takes its snapshot with it).
  if (snapshots_ && batch.failure.empty() && !batch.records.empty() &&
      state_.seq() - snapshot_seq_ >= settings_.snapshot_every) {
    batch.snapshot = encode_state(state_);
    snapshot_seq_ = state_.seq();
  }
}

namespace {

// Calls done and destroys it at once, on this thread: it holds the HTTP server's handler, which
// must not outlive the server (the batch itself is freed later, on the decide thread).
void answer(PipelineJob& job, PipelineReply reply) {
  DecisionPipeline::Done done = std::move(job.done);
  job.done = nullptr;
  done(std::move(reply));
}

}  // namespace

// Every ruleset text the batch's decisions name, stored before the records that name them.
store::Status Sequencer::store_rulesets(const Batch& batch) {
  for (const store::NewRecord& record : batch.records) {
    if (record.type != rf::type_decision) continue;
    const json::value* used = record.body.if_contains(rf::rulesets_field);
    if (store::Status s = archive_->ensure_stored(*log_, used != nullptr ? *used : json::value()); !s.ok()) return s;
  }
  return {};
}

// Answers carry the records as stored; the HTTP threads render them (api/decision_view.h), so
// the writer neither reads the batch back nor builds its JSON. failure: the batch's records were
// not stored; the jobs that created one are answered unavailable, the others as decided.
void Sequencer::answer_all(Batch& batch, const std::string& failure, std::vector<store::StoredRecord> written) {
  for (std::size_t i = 0; i < batch.jobs.size(); ++i) {
    Answer& a = batch.answers[i];
    if (a.record) {
      if (!failure.empty()) a.reply = refusal(PipelineOutcome::unavailable, failure);
      else a.reply.record = written[*a.record];
    } else if (a.stored_seq != 0) {
      auto read = log_->read(a.stored_seq, 1);
      if (read.ok() && read.value().size() == 1) a.reply.record = std::move(read.value().front());
      else a.reply = refusal(PipelineOutcome::unavailable, "reading the stored decision failed");
    }
    answer(batch.jobs[i], std::move(a.reply));
  }
}

void Sequencer::commit_batch(Batch& batch) {
  commit_records(batch);
  if (batch.large) {
    // A million persons' parts: freed here at once, not when the decide thread next wakes, and
    // the heap handed back to the system rather than kept for requests a tenth of its size.
    std::vector<store::NewRecord>().swap(batch.records);
    malloc_trim(0);
  }
}

void Sequencer::commit_records(Batch& batch) {
  // Decided against a state that held a batch which was then not stored: nothing of it is written.
  if (!batch.failure.empty() || batch.epoch == broken_epoch_.load()) {
    std::string why = batch.failure.empty() ? "an earlier batch could not be stored; nothing of this one was; retry"
                                            : batch.failure;
    for (PipelineJob& job : batch.jobs) answer(job, refusal(PipelineOutcome::unavailable, why));
    return;
  }
  if (batch.deferred) return commit_following(batch);
  if (batch.records.empty()) return answer_all(batch, "", {});
  auto fail = [&](const std::string& why) {
    broken_epoch_ = batch.epoch;
    answer_all(batch, why, {});
  };
  if (store::Status s = store_rulesets(batch); !s.ok()) return fail("storing the rulesets failed: " + s.error().message);
  auto stored = log_->append_records(batch.records, batch.first_seq);
  if (!stored.ok()) {
    // Only another writer makes a batch conflict with the log (the decide stage checks claim_ids
    // against the state): from now on every batch is decided under the write lock.
    if (stored.error().code == store::StoreCode::conflict && !shared_.exchange(true)) {
      std::cerr << "subsidyd: another server appends to this log (" << stored.error().message
                << "); deciding each batch under the log's write lock from now on\n";
    }
    return fail("the decision could not be stored: " + stored.error().message + "; nothing was; submit again");
  }
  finish_commit(batch, std::move(stored.value()));
}

void Sequencer::finish_commit(Batch& batch, std::vector<store::StoredRecord> stored) {
  if (!stored.empty()) committed_seq_ = stored.back().seq;
  if (!batch.snapshot.empty() && !stored.empty()) {
    snapshots_->submit(std::move(batch.snapshot), stored.back().seq, stored.back().hash);
  }
  if (settings_.on_commit && !stored.empty()) settings_.on_commit(stored.size());
  answer_all(batch, "", std::move(stored));
}

// A shared log, on the commit stage: in one write transaction, the records other servers
// appended are folded into the state, the batch is decided against it and appended after them.
void Sequencer::commit_following(Batch& batch) {
  auto fail = [&](const std::string& why) {
    broken_epoch_ = batch.epoch;
    answer_all(batch, why, {});
  };
  if (store::Status s = archive_->ensure_all_stored(*log_); !s.ok()) {
    return fail("storing the rulesets failed: " + s.error().message);
  }
  auto follow = [&](const store::StoredRecord& record) {
    std::unique_lock lock(state_mutex_);
    return fold_record(state_, record);
  };
  auto decide = [&]() -> store::Result<std::span<const store::NewRecord>> {
    next_seq_ = state_.seq() + 1;
    batch.first_seq = next_seq_;
    decide_jobs(batch);
    if (!batch.failure.empty()) return store::store_error(store::StoreCode::invalid_argument, batch.failure);
    return std::span<const store::NewRecord>(batch.records);
  };
  auto stored = log_->append_following(state_.seq(), follow, decide);
  if (!stored.ok()) return fail("the decision could not be stored: " + stored.error().message + "; nothing was; submit again");
  // The other servers' records are committed too: the state is the log's up to here.
  committed_seq_ = state_.seq();
  finish_commit(batch, std::move(stored.value()));
}

store::Result<std::uint64_t> Sequencer::append_other(store::NewRecord record) {
  auto seqs = log_->append(std::span<const store::NewRecord>(&record, 1));
  if (!seqs.ok()) return seqs.error();
  json::object full = record.body;
  full[rf::type_field] = record.type;
  std::uint64_t seq = seqs.value().front();
  if (store::Status s = apply_to_state(catalogue_record(seq, record.type, full)); !s.ok()) return s.error();
  next_seq_ = seq + 1;
  committed_seq_ = seq;
  return seq;
}

bool Sequencer::seed_catalogue(const std::string& file, std::string& error) {
  if (!state_.catalogue().institutions().empty() || !state_.catalogue().projects().empty()) return true;
  auto document = read_json_file(file, error);
  if (!document) return false;
  auto parsed = parse_catalogue_file(*document);
  if (auto* problems = std::get_if<Problems>(&parsed)) {
    error = file + ": " + (problems->empty() ? std::string("invalid") : problems->front().pointer + ": " + problems->front().message);
    return false;
  }
  const MemoryCatalogue& seed = std::get<MemoryCatalogue>(parsed);
  // Logged like an admin's PUTs, so that replay rebuilds the same catalogue from the log alone.
  std::vector<store::NewRecord> records;
  for (const InstitutionEntry& e : seed.institutions()) records.push_back(store::institution_record(e, seed_token_id, store::rfc3339_now(*clock_)));
  for (const ProjectEntry& e : seed.projects()) records.push_back(store::project_record(e, seed_token_id, store::rfc3339_now(*clock_)));
  for (const auto& [program, year, amount] : seed.budgets()) {
    records.push_back(store::budget_record(program, year, amount, seed_token_id, store::rfc3339_now(*clock_)));
  }
  for (store::NewRecord& r : records) {
    auto seq = append_other(std::move(r));
    if (!seq.ok()) {
      error = "logging the catalogue of " + file + ": " + seq.error().message;
      return false;
    }
  }
  return true;
}

bool Sequencer::sign_head_if_behind(std::string& error) {
  if (committed_seq_.load() <= signed_seq_) return true;
  auto head = heads_->sign(*key_, *clock_);
  if (!head.ok() && head.error().code == store::StoreCode::conflict) {
    // Another server on the same log signed this head within the same second: it is signed.
    signed_seq_ = committed_seq_.load();
    return true;
  }
  if (!head.ok()) {
    error = head.error().message;
    return false;
  }
  signed_seq_ = head.value().head.seq;
  return true;
}

void Sequencer::sign_head_if_due() {
  if (committed_seq_.load() < signed_seq_ + settings_.sign_every) return;
  std::string ignored;  // a failed periodic head is retried after the next batch
  sign_head_if_behind(ignored);
}

}  // namespace subsidy::app
