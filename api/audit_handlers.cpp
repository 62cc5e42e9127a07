// The read side of the log for auditors, clerks and institutions: a claim, one decision, the review
// queue, the log as JSON Lines, the latest signed head, inclusion and consistency proofs. Each borrows a read connection for one
// synchronous read (read_connections.h) on the HTTP thread.

#include "api/decision_view.h"
#include "api/claim_id.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/problem_response.h"
#include "api/store_failure.h"
#include "api/query_string.h"
#include "audit/base64.h"
#include "audit/log_format.h"
#include "audit/signed_head.h"
#include "audit/signing.h"
#include "store/record_format.h"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace subsidy::api {

namespace {

namespace json = boost::json;

// api.md: limit up to 100,000 records per request.
inline constexpr std::uint64_t audit_log_limit_max = 100'000;
inline constexpr std::uint64_t audit_log_limit_default = 1'000;
// A response is held in memory whole; past this many bytes the page ends early and a
// Link: rel="next" header says where to continue.
inline constexpr std::size_t audit_log_bytes_max = 64u << 20;
// Claims per page of the review queue.
inline constexpr std::uint64_t review_queue_limit_max = 1'000;
inline constexpr std::uint64_t review_queue_limit_default = 100;

std::optional<std::uint64_t> seq_param(const RequestContext& ctx) {
  auto seq = parse_u64(ctx.params.at(0));
  if (!seq || *seq == 0) return std::nullopt;
  return seq;
}

// The head as published: the six signed members, the signature, the key raw (base64) and as PEM
// for the stock openssl command line, the key's id, and for SM2 the distinguishing ID a verifier
// must give (README "For auditors" shows the commands).
json::object signed_head_json(const store::SignedHead& h) {
  json::object out = audit::head_to_json(h.head);
  out["signature"] = h.signature;
  out["public_key"] = h.public_key;
  std::optional<std::vector<std::uint8_t>> raw = audit::base64_decode(h.public_key);
  if (raw) {
    auto pem = audit::public_key_pem(audit::PublicKey{h.head.sig_alg, std::move(*raw)});
    if (pem.ok()) out["public_key_pem"] = pem.value();
  }
  out["key_id"] = h.key_id;
  if (h.head.sig_alg == audit::SigAlg::sm2) out["sm2_id"] = std::string(audit::log_format::sm2_distinguishing_id);
  return out;
}

json::array hex_list(const std::vector<std::string>& path) {
  json::array out;
  for (const std::string& p : path) out.emplace_back(p);
  return out;
}

// entity.credit_code of a claim as received, or "" when it has none.
std::string entity_code(const json::value& request) {
  const json::value* entity = request.is_object() ? request.get_object().if_contains("entity") : nullptr;
  const json::value* code = entity && entity->is_object() ? entity->get_object().if_contains("credit_code") : nullptr;
  return code && code->is_string() ? std::string(code->get_string()) : "";
}

}  // namespace

// The claim as received and every decision of it (initial, review, settlement) in seq order. An
// institution may read only claims of its own entity.
boost::asio::awaitable<Response> get_claim(RequestContext& ctx) {
  const std::string& claim_id = ctx.params.at(0);
  if (!is_claim_id(claim_id)) co_return problem_response(ProblemKind::not_found, "no claim has this claim_id");
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto found = lease.value()->claims->find(claim_id);
  if (!found.ok()) co_return store_failure(found.error());
  if (!found.value()) co_return problem_response(ProblemKind::not_found, "no claim has this claim_id");
  auto records = lease.value()->log->read(found.value()->seq, 1);
  if (!records.ok()) co_return store_failure(records.error());
  if (records.value().empty()) {
    co_return store_failure(store::store_error(store::StoreCode::corruption, "claim " + claim_id + " names seq " +
                                                  std::to_string(found.value()->seq) + ", which is missing"));
  }
  auto full = store::record_with_hash(records.value().front());
  if (!full.ok()) co_return store_failure(full.error());
  json::value request = full.value()[store::record_format::request_field];
  if (ctx.principal->role == Role::institution && entity_code(request) != ctx.principal->credit_code) {
    co_return problem_response(ProblemKind::forbidden, "an institution may only read claims of its own entity");
  }
  auto seqs = lease.value()->claims->decisions(claim_id);
  if (!seqs.ok()) co_return store_failure(seqs.error());
  // A log appended before migration 2 has no claim_decisions rows: the initial decision at least.
  if (seqs.value().empty()) seqs.value().push_back(found.value()->seq);
  json::array decisions;
  for (std::uint64_t seq : seqs.value()) {
    auto record = lease.value()->log->read(seq, 1);
    if (!record.ok()) co_return store_failure(record.error());
    if (record.value().empty()) {
      co_return store_failure(store::store_error(store::StoreCode::corruption, "claim " + claim_id + " names seq " +
                                                    std::to_string(seq) + ", which is missing"));
    }
    auto view = decision_view(record.value().front());
    if (!view.ok()) co_return store_failure(view.error());
    decisions.emplace_back(std::move(view).value());
  }
  co_return json_response(http::status::ok, json::object{{"claim_id", claim_id},
                                                         {"claim", std::move(request)},
                                                         {"decisions", std::move(decisions)}});
}

boost::asio::awaitable<Response> get_decision(RequestContext& ctx) {
  auto seq = seq_param(ctx);
  if (!seq) co_return problem_response(ProblemKind::not_found, "no record has this seq");
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto records = lease.value()->log->read(*seq, 1);
  if (!records.ok()) co_return store_failure(records.error());
  if (records.value().empty()) co_return problem_response(ProblemKind::not_found, "no record has this seq");
  auto view = decision_view(records.value().front());
  if (!view.ok()) {
    if (view.error().code == store::StoreCode::invalid_argument) {
      co_return problem_response(ProblemKind::not_found, "record " + std::to_string(*seq) + " is not a decision");
    }
    co_return store_failure(view.error());
  }
  co_return json_response(http::status::ok, view.value());
}

// Claims with lines still held for a clerk, oldest first; `after_seq` continues from a page's
// `next_after_seq`.
boost::asio::awaitable<Response> get_review_queue(RequestContext& ctx) {
  std::uint64_t after_seq = 0;
  std::uint64_t limit = review_queue_limit_default;
  if (auto text = query_param(ctx.query, "after_seq")) {
    auto v = parse_u64(*text);
    if (!v) co_return bad_parameter("after_seq must be a non-negative integer");
    after_seq = *v;
  }
  if (auto text = query_param(ctx.query, "limit")) {
    auto v = parse_u64(*text);
    if (!v || *v == 0 || *v > review_queue_limit_max) co_return bad_parameter("limit must be 1..1000");
    limit = *v;
  }
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto held = lease.value()->claims->held(after_seq, limit);
  if (!held.ok()) co_return store_failure(held.error());
  json::array claims;
  for (const store::HeldClaim& c : held.value()) {
    json::array subjects;
    for (const std::string& s : c.subjects) subjects.emplace_back(s);
    claims.emplace_back(json::object{{"claim_id", c.claim_id}, {"program", c.program}, {"seq", c.seq},
                                     {"held", std::move(subjects)}});
  }
  json::object body{{"claims", std::move(claims)}};
  if (held.value().size() == limit) body["next_after_seq"] = held.value().back().seq;
  co_return json_response(http::status::ok, body);
}

boost::asio::awaitable<Response> get_audit_log(RequestContext& ctx) {
  std::uint64_t from_seq = 1;
  std::uint64_t limit = audit_log_limit_default;
  if (auto text = query_param(ctx.query, "from_seq")) {
    auto v = parse_u64(*text);
    if (!v || *v == 0) co_return bad_parameter("from_seq must be a positive integer");
    from_seq = *v;
  }
  if (auto text = query_param(ctx.query, "limit")) {
    auto v = parse_u64(*text);
    if (!v || *v == 0 || *v > audit_log_limit_max) co_return bad_parameter("limit must be 1..100000");
    limit = *v;
  }
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  std::string lines;
  std::uint64_t next = from_seq;
  const std::uint64_t end = from_seq + limit;
  while (next < end && lines.size() < audit_log_bytes_max) {
    auto page_size = static_cast<std::size_t>(std::min<std::uint64_t>(end - next, store::record_format::read_records_max));
    auto records = lease.value()->log->read(next, page_size);
    if (!records.ok()) co_return store_failure(records.error());
    for (const store::StoredRecord& r : records.value()) {
      auto full = store::record_with_hash(r);
      if (!full.ok()) co_return store_failure(full.error());
      lines += json::serialize(full.value());
      lines += '\n';
    }
    next += records.value().size();
    if (records.value().size() < page_size) break;  // past the head
  }
  Response response{http::status::ok, ctx.request.version()};
  response.set(http::field::content_type, ndjson_type);
  if (next < end && lines.size() >= audit_log_bytes_max) {
    response.set(http::field::link, "</v1/audit/log?from_seq=" + std::to_string(next) +
                                        "&limit=" + std::to_string(end - next) + ">; rel=\"next\"");
  }
  response.body() = std::move(lines);
  response.prepare_payload();
  co_return response;
}

boost::asio::awaitable<Response> get_audit_head(RequestContext& ctx) {
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto head = lease.value()->heads->latest();
  if (!head.ok()) {
    if (head.error().code == store::StoreCode::not_found) {
      co_return problem_response(ProblemKind::not_found, "no head has been signed yet");
    }
    co_return store_failure(head.error());
  }
  co_return json_response(http::status::ok, signed_head_json(head.value()));
}

boost::asio::awaitable<Response> get_audit_proof(RequestContext& ctx) {
  auto seq = seq_param(ctx);
  if (!seq) co_return problem_response(ProblemKind::not_found, "no record has this seq");
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto proof = lease.value()->heads->inclusion_proof(*seq);
  if (!proof.ok()) {
    auto code = proof.error().code;
    if (code == store::StoreCode::invalid_argument || code == store::StoreCode::not_found) {
      co_return problem_response(ProblemKind::not_found,
                                 "record " + std::to_string(*seq) + " is not covered by a signed head yet");
    }
    co_return store_failure(proof.error());
  }
  const store::InclusionProof& p = proof.value();
  co_return json_response(http::status::ok, json::object{{"seq", p.seq},
                                                         {"tree_size", p.tree_size},
                                                         {"leaf_hash", p.leaf_hash},
                                                         {"path", hex_list(p.path)}});
}

boost::asio::awaitable<Response> get_audit_consistency(RequestContext& ctx) {
  auto from_text = query_param(ctx.query, "from_size");
  auto to_text = query_param(ctx.query, "to_size");
  auto from = from_text ? parse_u64(*from_text) : std::nullopt;
  auto to = to_text ? parse_u64(*to_text) : std::nullopt;
  if (!from || !to || *from == 0 || *from > *to) {
    co_return bad_parameter("from_size and to_size must be integers with 0 < from_size <= to_size");
  }
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto proof = lease.value()->heads->consistency_proof(*from, *to);
  if (!proof.ok()) {
    if (proof.error().code == store::StoreCode::not_found) {
      co_return problem_response(ProblemKind::not_found, "no signed head has one of these sizes");
    }
    if (proof.error().code == store::StoreCode::invalid_argument) co_return bad_parameter(proof.error().message);
    co_return store_failure(proof.error());
  }
  const store::ConsistencyProof& p = proof.value();
  co_return json_response(http::status::ok, json::object{{"from_size", p.from_size},
                                                         {"to_size", p.to_size},
                                                         {"path", hex_list(p.path)}});
}

}  // namespace subsidy::api
