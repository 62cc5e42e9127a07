#include "app/replay.h"

#include "app/apply.h"
#include "app/state.h"

#include "audit/base64.h"
#include "audit/canonical_json.h"
#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "audit/merkle.h"
#include "audit/signed_head.h"
#include "audit/log_format.h"
#include "engine/claim_parser.h"
#include "engine/decision_facts.h"
#include "engine/decision_json.h"
#include "engine/evaluator.h"
#include "engine/follow_up.h"
#include "engine/memory_catalogue.h"
#include "engine/ruleset_set.h"
#include "store/record_format.h"

#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>

namespace subsidy::app {
namespace {

namespace json = boost::json;
namespace rf = store::record_format;

std::string escape_token(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string shown(const json::value& v) {
  std::string s = json::serialize(v);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

// Equal numbers of different JSON kinds (int64, uint64, double) are equal.
bool numbers_equal(const json::value& a, const json::value& b) {
  if (a.is_double() || b.is_double()) return a.to_number<double>() == b.to_number<double>();
  if (a.is_int64() && a.get_int64() < 0) return b.is_int64() && b.get_int64() == a.get_int64();
  if (b.is_int64() && b.get_int64() < 0) return false;
  return a.to_number<std::uint64_t>() == b.to_number<std::uint64_t>();
}

json::object with_seq(std::uint64_t seq, const json::object& decision) {
  json::object out;
  out.reserve(decision.size() + 1);
  out["seq"] = seq;
  for (const auto& kv : decision) out[kv.key()] = kv.value();
  return out;
}

std::string problems_text(const EvalStatus& status) {
  std::string message = status.message;
  for (const Problem& p : status.problems) message += "; " + (p.pointer.empty() ? std::string("/") : p.pointer) + ": " + p.message;
  return message;
}

// Adds the time since the last lap to one of ReplayTimings' counters; does nothing without timings.
class Laps {
 public:
  explicit Laps(ReplayTimings* t) : t_(t) {
    if (t_ != nullptr) last_ = std::chrono::steady_clock::now();
  }
  void lap(double ReplayTimings::*counter) {
    if (t_ == nullptr) return;
    auto now = std::chrono::steady_clock::now();
    t_->*counter += std::chrono::duration<double>(now - last_).count();
    last_ = now;
  }
  void restart() {
    if (t_ != nullptr) last_ = std::chrono::steady_clock::now();
  }

 private:
  ReplayTimings* t_;
  std::chrono::steady_clock::time_point last_;
};

// Checks the chain and re-decides record after record, in seq order.
class Replayer {
 public:
  Replayer(audit::HashAlg alg, RulesetTexts texts, const ReplayOptions& options, ReplayReport& report)
      : alg_(alg), texts_(std::move(texts)), options_(options), report_(report),
        state_(options.catalogue != nullptr ? State(*options.catalogue) : State()), laps_(options.timings) {}

  // A record of a JSON Lines export: its hash and chain are checked here.
  void feed(const json::object& record) {
    std::uint64_t seq = expected_seq_++;
    const json::value* seq_value = record.if_contains(rf::seq_field);
    if (seq_value == nullptr || !seq_value->is_number() || !numbers_equal(*seq_value, json::value(seq))) {
      finding(seq, "/seq", "expected record " + std::to_string(seq) + " here, found " +
                               (seq_value == nullptr ? std::string("no seq") : shown(*seq_value)));
    }
    ++report_.records;
    report_.last_seq = seq;
    check_chain(record, seq);
    add_leaf(prev_);
    check_heads_at(seq);
    const json::value* type = record.if_contains(rf::type_field);
    if (type != nullptr && type->is_string() && type->as_string() == rf::type_decision) {
      Logged logged;
      logged.request = record.if_contains(rf::request_field);
      const json::value* claim_id = record.if_contains(rf::claim_id_field);
      if (claim_id != nullptr && claim_id->is_string()) {
        logged.claim_id = claim_id->as_string();
        claim_id_json_ = json::serialize(*claim_id);
        logged.claim_id_json = claim_id_json_;
      }
      logged.decision = record.if_contains(rf::decision_field);
      if (logged.decision != nullptr && logged.decision->is_object()) {
        auto text = audit::canonical_json(*logged.decision);
        if (text.ok()) logged_text_ = std::move(text.value());
        else logged_text_.clear();  // compared member by member
        logged.decision_text = logged_text_;
        const json::value* kind = logged.decision->as_object().if_contains("kind");
        if (kind != nullptr) {
          kind_json_ = json::serialize(*kind);
          logged.kind_json = kind_json_;
        }
        if (kind != nullptr && kind->is_string()) logged.kind = kind->as_string();
      }
      logged.rulesets = record.if_contains(rf::rulesets_field);
      if (logged.rulesets != nullptr) {
        auto text = audit::canonical_json(*logged.rulesets);
        if (text.ok()) rulesets_text_ = std::move(text.value());
        else rulesets_text_.clear();
        logged.rulesets_text = rulesets_text_;
      }
      reevaluate(logged, seq);
    } else if (type != nullptr && type->is_string()) {
      apply_other(std::string(type->as_string()), record, seq);
    } else {
      finding(seq, "/type", "the record has no type");
      skip(seq);
    }
    if (options_.progress) options_.progress(seq);
  }

  // A record the store has read and checked (store/chain_check.h): its hash recomputed from its
  // text and the previous record's hash, its prev_hash that hash, its text canonical JSON whose
  // seq, type, prev_hash and decided_at are the row's. Those checks are not repeated here; the
  // record is taken apart as text (canonical, so each member's value is its own canonical text).
  void feed_checked(const store::StoredRecord& row) {
    std::uint64_t seq = expected_seq_++;
    if (row.seq != seq) {
      finding(seq, "/seq", "expected record " + std::to_string(seq) + " here, found " + std::to_string(row.seq));
    }
    ++report_.records;
    report_.last_seq = seq;
    if (std::optional<audit::Digest> d = audit::digest_from_hex(row.hash)) prev_ = *d;
    report_.last_hash = row.hash;
    add_leaf(prev_);
    check_heads_at(seq);
    laps_.lap(&ReplayTimings::read_chain);
    if (row.type == rf::type_decision) {
      audit::split_canonical_object(row.canonical, members_);
      Logged logged;
      // The request's values live in request_memory_, released after the record (kept in the
      // Result: moving them into a value of other storage would copy them).
      std::optional<audit::Result<json::value>> request;
      std::string_view request_text = audit::member_text(members_, rf::request_field);
      if (!request_text.empty()) {
        request.emplace(audit::parse_exact_json(request_text, json::storage_ptr(&request_memory_)));
        if (request->ok()) logged.request = &request->value();
      }
      logged.claim_id_json = audit::member_text(members_, rf::claim_id_field);
      if (logged.claim_id_json.starts_with('"')) logged.claim_id = string_value(logged.claim_id_json, claim_id_buffer_);
      logged.decision_text = audit::member_text(members_, rf::decision_field);
      logged.decision_is_object = logged.decision_text.starts_with('{');
      if (logged.decision_is_object) {
        audit::split_canonical_object(logged.decision_text, decision_members_);
        logged.kind_json = audit::member_text(decision_members_, "kind");
        if (logged.kind_json.starts_with('"')) logged.kind = string_value(logged.kind_json, kind_buffer_);
      }
      logged.rulesets_text = audit::member_text(members_, rf::rulesets_field);
      laps_.lap(&ReplayTimings::parse);
      reevaluate(logged, seq);
      request.reset();
      request_memory_.release();
    } else if (applies_body(row.type)) {
      auto parsed = audit::parse_exact_json(row.canonical);
      if (parsed.ok() && parsed.value().is_object()) {
        apply_other(row.type, parsed.value().as_object(), seq);
      } else {
        finding(seq, "/", "the " + row.type + " record is not a JSON object");
        skip(seq);
      }
    } else {
      apply_other(row.type, json::object(), seq);
    }
    if (options_.progress) options_.progress(seq);
    laps_.lap(&ReplayTimings::read_chain);
  }

  // The clock of ReplayTimings: time from here on is counted.
  void restart_laps() { laps_.restart(); }
  void lap_read() { laps_.lap(&ReplayTimings::read_chain); }

  void finding(std::uint64_t seq, std::string field, std::string message) {
    report_.findings.push_back({seq, std::move(field), std::move(message)});
  }

  // The signed heads to check the records against, by seq (as Heads::all() gives them). Their
  // signatures are checked now; their contents as the records arrive and in finish().
  void set_heads(std::vector<store::SignedHead> heads) {
    heads_ = std::move(heads);
    std::stable_sort(heads_.begin(), heads_.end(),
                     [](const store::SignedHead& a, const store::SignedHead& b) { return a.head.seq < b.head.seq; });
    report_.heads = heads_.size();
    std::optional<audit::PublicKey> first_key;
    for (const store::SignedHead& h : heads_) check_signature(h, first_key);
    check_heads_at(0);
  }

  // After the last record: heads beyond the log. stopped: the log could not be read to its end.
  void finish(bool stopped) {
    if (next_head_ >= heads_.size()) return;
    const store::SignedHead& last = heads_.back();
    std::uint64_t missing = report_.last_seq + 1;
    if (stopped) {
      finding(missing, "/head/seq", std::to_string(heads_.size() - next_head_) + " signed head(s), up to the one of " +
                                        std::to_string(last.head.seq) + " records (" + last.head.signed_at +
                                        "), cannot be checked: the log could not be read past seq " +
                                        std::to_string(report_.last_seq));
    } else {
      finding(missing, "/head/seq", "record " + std::to_string(missing) + " is missing: the log ends at seq " +
                                        std::to_string(report_.last_seq) + ", but the signed head of " +
                                        last.head.signed_at + " vouches for " + std::to_string(last.head.seq) +
                                        " records (a truncated tail)");
    }
    next_head_ = heads_.size();
  }

 private:
  std::string head_name(const store::SignedHead& h) const {
    return "the signed head of " + std::to_string(h.head.seq) + " records (" + h.head.signed_at + ")";
  }

  void check_signature(const store::SignedHead& h, std::optional<audit::PublicKey>& first_key) {
    std::uint64_t seq = h.head.seq;
    if (audit::Status s = audit::check_head(h.head); !s.ok()) {
      finding(seq, "/head", head_name(h) + " is malformed: " + s.error().message);
      return;
    }
    if (h.head.hash_alg != alg_) {
      finding(seq, "/head/hash_alg", head_name(h) + " names hash_alg " + std::string(audit::hash_alg_name(h.head.hash_alg)) +
                                         ", the log " + std::string(audit::hash_alg_name(alg_)));
    }
    auto raw = audit::base64_decode(h.public_key);
    if (!raw) {
      finding(seq, "/head/public_key", head_name(h) + ": public_key is not base64");
      return;
    }
    audit::PublicKey key{h.head.sig_alg, std::move(*raw)};
    if (h.key_id != audit::key_id(h.head.hash_alg, key)) {
      finding(seq, "/head/key_id", head_name(h) + ": key_id " + h.key_id + " is not the hash of its public_key");
    }
    if (options_.trusted_key) {
      if (key != *options_.trusted_key) {
        finding(seq, "/head/public_key", head_name(h) + " is signed with another key (key_id " + h.key_id +
                                             ") than the trusted one (key_id " +
                                             audit::key_id(alg_, *options_.trusted_key) + ")");
      }
    } else if (!first_key) {
      first_key = key;
    } else if (key != *first_key) {
      finding(seq, "/head/public_key", head_name(h) + " is signed with another key (key_id " + h.key_id +
                                           ") than the first signed head (key_id " + audit::key_id(alg_, *first_key) +
                                           ")");
    }
    if (audit::Status s = audit::verify_head(key, h.head, h.signature); !s.ok()) {
      finding(seq, "/head/signature", head_name(h) + ": the signature does not verify under its public_key: " +
                                          s.error().message);
    }
  }

  // The Merkle tree of the records read so far, as its complete subtrees (left to right, each
  // with its height): the log's "compact range".
  void add_leaf(const audit::Digest& record_hash) {
    range_.emplace_back(0u, audit::merkle_leaf_hash(alg_, record_hash));
    while (range_.size() >= 2 && range_[range_.size() - 2].first == range_.back().first) {
      auto right = range_.back();
      range_.pop_back();
      range_.back().second = audit::merkle_node_hash(alg_, range_.back().second, right.second);
      ++range_.back().first;
    }
  }

  // RFC 9162 MTH of the records read so far: the subtrees folded from the right.
  audit::Digest current_root() const {
    if (range_.empty()) return audit::merkle_empty_root(alg_);
    audit::Digest root = range_.back().second;
    for (std::size_t i = range_.size() - 1; i-- > 0;) root = audit::merkle_node_hash(alg_, range_[i].second, root);
    return root;
  }

  // Checks the heads of size seq, seq being the number of records read so far.
  void check_heads_at(std::uint64_t seq) {
    for (; next_head_ < heads_.size() && heads_[next_head_].head.seq <= seq; ++next_head_) {
      const store::SignedHead& h = heads_[next_head_];
      if (h.head.seq < seq) continue;  // cannot happen: heads are sorted and checked in order
      std::string hash = seq == 0 ? audit::to_hex(audit::genesis_prev_hash) : report_.last_hash;
      if (h.head.hash != hash) {
        finding(seq, "/head/hash", head_name(h) + " has hash " + h.head.hash + ", record " + std::to_string(seq) +
                                       " has " + hash);
      }
      std::string root = audit::to_hex(current_root());
      if (h.head.merkle_root != root) {
        finding(seq, "/head/merkle_root", head_name(h) + " has merkle_root " + h.head.merkle_root +
                                              ", the Merkle root over records 1.." + std::to_string(seq) + " is " +
                                              root + " (a record at or below " + std::to_string(seq) +
                                              " was changed, removed or inserted after it was signed)");
      }
    }
  }

  void check_chain(const json::object& record, std::uint64_t seq) {
    auto checked = audit::check_record(alg_, prev_, record);
    const json::value* stated = record.if_contains(rf::hash_field);
    if (checked.ok()) {
      prev_ = checked.value();
    } else {
      finding(seq, "/hash", "the record does not hash to its stated hash or chain: " + checked.error().message);
      // Judge the next record against the hash this one states, so each change is named once.
      std::optional<audit::Digest> d;
      if (stated != nullptr && stated->is_string()) d = audit::digest_from_hex(std::string_view(stated->as_string()));
      if (d) prev_ = *d;
    }
    report_.last_hash = stated != nullptr && stated->is_string() ? std::string(stated->as_string()) : audit::to_hex(prev_);
  }

  static constexpr std::size_t request_buffer_bytes = 64 * 1024;

  // A decision record's members as the replay needs them. The texts are canonical JSON.
  struct Logged {
    const json::value* request = nullptr;   // nullptr: absent
    std::string_view claim_id;              // the decoded string
    std::string_view claim_id_json;         // as JSON text; "" if absent; not a string if claim_id is unset
    std::string_view kind;                  // decision.kind decoded, "" if not a string
    std::string_view kind_json;             // decision.kind as JSON text, "" if absent
    std::string_view decision_text;         // "" if absent or not canonicalizable
    bool decision_is_object = false;
    const json::value* decision = nullptr;  // JSON Lines: the parsed decision
    std::string_view rulesets_text;         // "" if absent
    const json::value* rulesets = nullptr;  // JSON Lines: the parsed rulesets
  };

  // A record the replay reports and cannot apply: the state moves past it unchanged, so that
  // every later record is still checked.
  void skip(std::uint64_t seq) { (void)apply(state_, skipped_record(seq)); }

  // A record other than a decision changes the state as it changed the server's (app/apply.h):
  // a catalogue or budget record the catalogue, a registry import the registry, that every later
  // decision is re-evaluated against.
  void apply_other(const std::string& type, const json::object& record, std::uint64_t seq) {
    AppliedRecord applied = applies_body(type) ? catalogue_record(seq, type, record) : inert_record(seq, type);
    if (store::Status s = apply(state_, applied); !s.ok()) {
      finding(seq, "/", "the " + type + " record cannot be applied: " + s.error().message);
      skip(seq);
    }
  }

  // After a finding on a decision: the state takes the decision as logged, as the server's did,
  // so that later decisions are judged against what the server saw. claim: an initial
  // decision's claim; nullptr for a review or settlement.
  void apply_logged(const Logged& logged, const Claim* claim, std::uint64_t seq) {
    json::value parsed;
    const json::value* decision = logged.decision;
    if (decision == nullptr) {
      auto p = audit::parse_exact_json(logged.decision_text);
      if (p.ok()) parsed = std::move(p.value());
      decision = &parsed;
    }
    const Claim* of = claim;
    if (of == nullptr) {
      const ClaimHistory* kept = state_.history().claim(logged.claim_id);
      of = kept != nullptr ? &kept->claim : nullptr;
    }
    if (of == nullptr || !decision->is_object() ||
        !decision_facts_from_json(decision->as_object(), *of, scratch_).ok() ||
        !apply(state_, decision_record(seq, claim, scratch_)).ok()) {
      skip(seq);
    }
  }


  // The string whose canonical JSON text is text (starting with '"'): the text between the quotes
  // when it has no escape, else decoded into buffer.
  static std::string_view string_value(std::string_view text, std::string& buffer) {
    if (text.find('\\') == std::string_view::npos) return text.substr(1, text.size() - 2);
    auto parsed = audit::parse_exact_json(text);
    buffer = parsed.ok() && parsed.value().is_string() ? std::string(parsed.value().as_string()) : std::string();
    return buffer;
  }

  // The rulesets named by the record's "rulesets" text, loaded once per distinct text.
  const RulesetSet* rulesets_for(const Logged& logged, std::uint64_t seq) {
    if (!logged.rulesets_text.empty()) {
      if (auto it = by_text_.find(logged.rulesets_text); it != by_text_.end()) return it->second;
    }
    const json::value* used = logged.rulesets;
    json::value parsed;
    if (used == nullptr && !logged.rulesets_text.empty()) {
      auto p = audit::parse_exact_json(logged.rulesets_text);
      if (p.ok()) {
        parsed = std::move(p.value());
        used = &parsed;
      }
    }
    const RulesetSet* set = rulesets_for(used, seq);
    if (set != nullptr && !logged.rulesets_text.empty()) by_text_.emplace(std::string(logged.rulesets_text), set);
    return set;
  }

  const RulesetSet* rulesets_for(const json::value* used, std::uint64_t seq) {
    if (used == nullptr || !used->is_array()) {
      finding(seq, "/rulesets", "the record names no rulesets array");
      return nullptr;
    }
    std::vector<std::string> shas;
    for (const json::value& u : used->as_array()) {
      const json::value* sha = u.is_object() ? u.as_object().if_contains("sha256") : nullptr;
      if (sha == nullptr || !sha->is_string()) {
        finding(seq, "/rulesets", "a ruleset without sha256");
        return nullptr;
      }
      shas.emplace_back(sha->as_string());
    }
    std::sort(shas.begin(), shas.end());
    std::string key;
    for (const auto& s : shas) key += s + ",";
    if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
    std::vector<RulesetSource> sources;
    for (const auto& s : shas) {
      auto text = texts_(s);
      if (!text) {
        finding(seq, "/rulesets", "ruleset text " + s + " is not available");
        return nullptr;
      }
      sources.push_back({"sha256:" + s, std::move(*text)});
    }
    auto loaded = RulesetSet::load(std::move(sources));
    if (auto* errors = std::get_if<std::vector<RulesetLoadError>>(&loaded)) {
      finding(seq, "/rulesets", "the stored rulesets do not compile: " + (errors->empty() ? std::string() : errors->front().to_string()));
      return nullptr;
    }
    auto set = std::make_unique<RulesetSet>(std::move(std::get<RulesetSet>(loaded)));
    const RulesetSet* out = set.get();
    cache_.emplace(key, std::move(set));
    return out;
  }

  void reevaluate(const Logged& logged, std::uint64_t seq) {
    ++report_.decisions;
    if (logged.request == nullptr || logged.claim_id_json.empty() || !logged.claim_id_json.starts_with('"') ||
        !(logged.decision_is_object || (logged.decision != nullptr && logged.decision->is_object()))) {
      finding(seq, "/decision", "a decision record without request, claim_id or decision");
      return skip(seq);
    }
    const RulesetSet* rulesets = rulesets_for(logged, seq);

    EvalStatus status;
    if (logged.kind == "initial") {
      auto parsed = parse_claim(*logged.request);
      if (auto* problems = std::get_if<Problems>(&parsed)) {
        finding(seq, "/request", problems_text({EvalCode::invalid_input, "the logged claim is not valid", *problems}));
        return skip(seq);
      }
      const Claim& claim = std::get<Claim>(parsed);
      if (claim.claim_id != logged.claim_id) {
        finding(seq, "/claim_id", "the record's claim_id " + std::string(logged.claim_id_json) + " is not the request's " + claim.claim_id);
      }
      if (state_.history().has_claim(claim.claim_id)) {
        finding(seq, "/claim_id", "claim " + claim.claim_id + " was already decided earlier in the log");
        return skip(seq);
      }
      if (rulesets == nullptr) return apply_logged(logged, &claim, seq);
      laps_.lap(&ReplayTimings::parse);
      status = decide(claim, state_.history(), state_.catalogue(), state_.systems(), *rulesets, scratch_);
      laps_.lap(&ReplayTimings::evaluate);
      settle(logged, status, &claim, seq);
    } else if (auto kind = follow_up_kind(logged.kind)) {
      if (state_.history().claim(logged.claim_id) == nullptr) {
        finding(seq, "/claim_id", "no claim " + std::string(logged.claim_id_json) + " earlier in the log that a " +
                                      std::string(logged.kind) + " can follow");
        return skip(seq);
      }
      auto parsed = parse_follow_up(*kind, *logged.request);
      if (auto* problems = std::get_if<Problems>(&parsed)) {
        finding(seq, "/request", problems_text({EvalCode::invalid_input, "the logged " + std::string(logged.kind) + " is not valid", *problems}));
        return apply_logged(logged, nullptr, seq);
      }
      if (rulesets == nullptr) return apply_logged(logged, nullptr, seq);
      laps_.lap(&ReplayTimings::parse);
      status = decide_follow_up(logged.claim_id, std::get<FollowUpRequest>(parsed), state_.history(), state_.catalogue(),
                                state_.systems(), *rulesets, scratch_);
      laps_.lap(&ReplayTimings::evaluate);
      settle(logged, status, nullptr, seq);
    } else {
      finding(seq, "/decision/kind", "a decision of unknown kind " + (logged.kind_json.empty() ? std::string("null") : std::string(logged.kind_json)));
      return skip(seq);
    }
  }

  // The re-decided request (status, scratch_) against the logged decision; then the state takes
  // the decision: the recomputed one when it is the logged one, else the logged one.
  void settle(const Logged& logged, const EvalStatus& status, const Claim* claim, std::uint64_t seq) {
    if (!status.ok()) {
      finding(seq, "/decision", "re-evaluation refuses the request: " + problems_text(status));
      return apply_logged(logged, claim, seq);
    }
    bool same = compare(logged, seq);
    laps_.lap(&ReplayTimings::compare);
    if (!same) return apply_logged(logged, claim, seq);
    if (store::Status s = apply(state_, decision_record(seq, claim, scratch_)); !s.ok()) {
      finding(seq, "/decision", "the decision cannot be applied: " + s.error().message);
      skip(seq);
    }
  }

  // The recomputed decision (scratch_) against the logged one: their canonical texts are equal
  // exactly when they are equal member by member (a canonical text is unique to its value). The
  // text is first written directly (decision_to_canonical_json); if it differs, the decision is
  // built as JSON, canonicalized and compared again, and on a difference the member-by-member
  // diff names the first differing field. True when they are the same.
  bool compare(const Logged& logged, std::uint64_t seq) {
    decision_to_canonical_json(scratch_, seq, recomputed_text_);
    recomputed_rulesets_.clear();
    rulesets_to_canonical_json(scratch_, recomputed_rulesets_);
    if (!logged.decision_text.empty() && recomputed_text_ == logged.decision_text &&
        !logged.rulesets_text.empty() && recomputed_rulesets_ == logged.rulesets_text) {
      return true;
    }
    std::size_t findings_before = report_.findings.size();
    json::object recomputed = with_seq(seq, decision_to_json(scratch_));
    auto text = audit::canonical_json(recomputed);
    if (!text.ok()) {
      finding(seq, "/decision", "the re-evaluated decision cannot be canonicalized: " + text.error().message);
      return false;
    }
    bool same = true;
    if (logged.decision_text.empty() || text.value() != logged.decision_text) {
      same = false;
      name_difference(logged.decision, logged.decision_text, recomputed, "/decision", seq);
    }
    auto rulesets = audit::canonical_json(recomputed.at("rulesets"));
    if (!rulesets.ok() || logged.rulesets_text.empty() || rulesets.value() != logged.rulesets_text) {
      same = false;
      name_difference(logged.rulesets, logged.rulesets_text, recomputed.at("rulesets"), "/rulesets", seq);
    }
    return same && report_.findings.size() == findings_before;
  }

  void name_difference(const json::value* logged, std::string_view logged_text, const json::value& recomputed,
                       const std::string& prefix, std::uint64_t seq) {
    json::value parsed;
    if (logged == nullptr) {
      auto p = audit::parse_exact_json(logged_text);
      if (p.ok()) parsed = std::move(p.value());
      logged = &parsed;
    }
    if (auto diff = first_difference(*logged, recomputed, prefix)) {
      finding(seq, diff->field, diff->message);
    } else if (logged_text.empty()) {
      finding(seq, prefix, "the logged value cannot be canonicalized");
    }
  }

  audit::HashAlg alg_;
  RulesetTexts texts_;
  const ReplayOptions& options_;
  ReplayReport& report_;
  State state_;  // the fold of the records replayed so far (app/apply.h)
  audit::Digest prev_ = audit::genesis_prev_hash;
  std::uint64_t expected_seq_ = 1;
  Decision scratch_;
  std::map<std::string, std::unique_ptr<RulesetSet>> cache_;  // by the sorted sha256s of a record
  std::vector<store::SignedHead> heads_;
  std::size_t next_head_ = 0;
  std::vector<std::pair<unsigned, audit::Digest>> range_;
  std::map<std::string, const RulesetSet*, std::less<>> by_text_;  // by a record's "rulesets" text
  // Scratch space reused from record to record.
  std::vector<audit::JsonMemberText> members_, decision_members_;
  std::string claim_id_buffer_, kind_buffer_, logged_text_, rulesets_text_, recomputed_text_, recomputed_rulesets_, claim_id_json_,
      kind_json_;
  std::unique_ptr<unsigned char[]> request_buffer_ = std::make_unique<unsigned char[]>(request_buffer_bytes);
  json::monotonic_resource request_memory_{request_buffer_.get(), request_buffer_bytes};
  Laps laps_;
};

}  // namespace

std::optional<ReplayFinding> first_difference(const json::value& logged, const json::value& recomputed,
                                              const std::string& prefix) {
  const std::string where = prefix.empty() ? "/" : prefix;
  if (logged.is_number() && recomputed.is_number()) {
    if (numbers_equal(logged, recomputed)) return std::nullopt;
  } else if (logged.kind() == recomputed.kind() ||
             (logged.is_number() == recomputed.is_number() && logged.is_number())) {
    if (logged.is_object()) {
      const json::object& a = logged.as_object();
      const json::object& b = recomputed.as_object();
      std::vector<std::string> keys;
      for (const auto& kv : a) keys.emplace_back(kv.key());
      for (const auto& kv : b) keys.emplace_back(kv.key());
      std::sort(keys.begin(), keys.end());
      keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
      for (const auto& k : keys) {
        std::string p = prefix + "/" + escape_token(k);
        const json::value* x = a.if_contains(k);
        const json::value* y = b.if_contains(k);
        if (x == nullptr) return ReplayFinding{0, p, "the logged decision lacks this member; re-evaluation gives " + shown(*y)};
        if (y == nullptr) return ReplayFinding{0, p, "the logged member " + shown(*x) + " is not in the re-evaluated decision"};
        if (auto d = first_difference(*x, *y, p)) return d;
      }
      return std::nullopt;
    }
    if (logged.is_array()) {
      const json::array& a = logged.as_array();
      const json::array& b = recomputed.as_array();
      for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
        if (auto d = first_difference(a[i], b[i], prefix + "/" + std::to_string(i))) return d;
      }
      if (a.size() != b.size()) {
        return ReplayFinding{0, where, "logged " + std::to_string(a.size()) + " elements, re-evaluation gives " +
                                           std::to_string(b.size())};
      }
      return std::nullopt;
    }
    if (logged == recomputed) return std::nullopt;
  }
  return ReplayFinding{0, where, "logged " + shown(logged) + ", re-evaluation gives " + shown(recomputed)};
}

namespace {

// Each signed head extends the one before it: equal sizes must agree, and a larger size must come
// with an RFC 9162 consistency proof (from the store) that verifies between the two signed roots.
void check_consistency(store::Heads* heads, const std::vector<store::SignedHead>& all, ReplayReport& report) {
  if (heads == nullptr) return;
  for (std::size_t i = 1; i < all.size(); ++i) {
    const audit::Head& a = all[i - 1].head;
    const audit::Head& b = all[i].head;
    if (b.seq > report.last_seq) break;  // beyond the log's end: a finding already
    std::string what = "the signed head of " + std::to_string(b.seq) + " records (" + b.signed_at +
                       ") does not extend the one of " + std::to_string(a.seq) + " (" + a.signed_at + ")";
    auto from_root = audit::digest_from_hex(a.merkle_root);
    auto to_root = audit::digest_from_hex(b.merkle_root);
    if (!from_root || !to_root) continue;  // malformed heads are findings already
    if (a.seq == b.seq) {
      if (a.hash != b.hash || a.merkle_root != b.merkle_root) {
        report.findings.push_back({b.seq, "/head/merkle_root", what + ": the same size with another hash or root"});
      }
      continue;
    }
    if (a.seq == 0) continue;  // every tree extends the empty one
    auto proof = heads->consistency_proof(a.seq, b.seq);
    if (!proof.ok()) {
      report.findings.push_back({b.seq, "/head/merkle_root",
                                 what + ": no consistency proof can be made: " + proof.error().message});
      continue;
    }
    std::vector<audit::Digest> path;
    bool parsed = true;
    for (const std::string& hex : proof.value().path) {
      auto d = audit::digest_from_hex(hex);
      if (!d) parsed = false;
      else path.push_back(*d);
    }
    if (!parsed || !audit::verify_consistency(heads->hash_alg(), a.seq, b.seq, *from_root, *to_root, path).ok()) {
      report.findings.push_back({b.seq, "/head/merkle_root", what + ": the consistency proof does not verify"});
    }
  }
}

}  // namespace

std::optional<audit::PublicKey> parse_trusted_key(const std::string& file_or_base64, std::string& error) {
  std::string text = file_or_base64;
  std::ifstream in(file_or_base64, std::ios::binary);
  if (in) {
    std::ostringstream content;
    content << in.rdbuf();
    text = content.str();
  }
  const char* space = " \t\r\n";
  std::size_t b = text.find_first_not_of(space);
  std::size_t e = text.find_last_not_of(space);
  text = b == std::string::npos ? std::string() : text.substr(b, e - b + 1);
  auto raw = audit::base64_decode(text);
  if (!raw) {
    error = "the trusted key is neither a readable file nor base64 of a raw public key";
    return std::nullopt;
  }
  if (raw->size() == 32) return audit::PublicKey{audit::SigAlg::ed25519, std::move(*raw)};
  if (raw->size() == 65) return audit::PublicKey{audit::SigAlg::sm2, std::move(*raw)};
  error = "the trusted key is " + std::to_string(raw->size()) +
          " bytes; a raw Ed25519 key is 32 bytes, an uncompressed SM2 key 65";
  return std::nullopt;
}

ReplayReport replay(store::LogStore& store, const ReplayOptions& options) { return replay(store, nullptr, options); }

ReplayReport replay(store::LogStore& store, store::Heads* heads, const ReplayOptions& options) {
  ReplayReport report;
  RulesetTexts texts = [&store](const std::string& sha) -> std::optional<std::string> {
    auto text = store.ruleset_text(sha);
    if (!text.ok()) return std::nullopt;
    return text.value();
  };
  Replayer replayer(store.hash_alg(), texts, options, report);
  std::vector<store::SignedHead> signed_heads;
  if (heads != nullptr) {
    auto all = heads->all();
    if (all.ok()) {
      signed_heads = std::move(all).value();
      replayer.set_heads(signed_heads);
    } else {
      replayer.finding(all.error().seq, "/head", "the signed heads cannot be read: " + all.error().message);
    }
  }
  bool stopped = false;
  std::uint64_t from = 1;
  replayer.restart_laps();
  for (;;) {
    // read() checks every record against the chain before returning it (store/chain_check.h).
    auto page = store.read(from, rf::read_records_max);
    replayer.lap_read();
    if (!page.ok()) {
      const store::StoreError& e = page.error();
      std::uint64_t seq = e.seq != 0 ? e.seq : from;
      replayer.finding(seq, "/hash", std::string(store::store_code_name(e.code)) + ": " + e.message +
                                         " (records after this one cannot be checked against the chain)");
      stopped = true;
      break;
    }
    if (page.value().empty()) break;
    for (const store::StoredRecord& row : page.value()) replayer.feed_checked(row);
    from = page.value().back().seq + 1;
  }
  replayer.finish(stopped);
  check_consistency(heads, signed_heads, report);
  if (options.timings != nullptr) options.timings->records += report.records;
  return report;
}

ReplayReport replay_jsonl(std::istream& in, audit::HashAlg alg, const RulesetTexts& rulesets,
                          const ReplayOptions& options) {
  ReplayReport report;
  Replayer replayer(alg, rulesets, options, report);
  std::string line;
  for (std::uint64_t n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
      replayer.finding(report.last_seq + 1, "/", "line " + std::to_string(n) + " is not a JSON object");
      break;
    }
    replayer.feed(v.as_object());
  }
  return report;
}

void keep_freed_memory() {
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
  mallopt(M_MMAP_THRESHOLD, 64 * 1024 * 1024);
}

json::object report_to_json(const ReplayReport& report) {
  json::array findings;
  for (const auto& f : report.findings) {
    findings.push_back(json::object{{"seq", f.seq}, {"field", f.field}, {"message", f.message}});
  }
  return json::object{{"records", report.records},   {"decisions", report.decisions}, {"heads", report.heads},
                      {"last_seq", report.last_seq},
                      {"last_hash", report.last_hash}, {"clean", report.clean()},       {"findings", std::move(findings)}};
}

}  // namespace subsidy::app
