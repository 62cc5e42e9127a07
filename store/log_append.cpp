// LogStore::append: group commit of a batch of records (log_store.h).

#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "store/chain_check.h"
#include "store/decision_index.h"
#include "store/log_store.h"
#include "store/log_tables.h"
#include "store/record_format.h"
#include "store/soci_edge.h"
#include "store/write_transaction.h"

#include <boost/json/array.hpp>

namespace subsidy::store {
namespace rf = record_format;
namespace {

struct Tip {
  std::uint64_t seq = 0;
  audit::Digest hash = audit::genesis_prev_hash;
};

// The last stored record, checked against its predecessor before anything is chained to it.
Result<Tip> checked_tip(soci::session& sql, audit::HashAlg alg) {
  std::optional<StoredRecord> last = select_last_record(sql);
  if (!last) return Tip{};
  audit::Digest prev = audit::genesis_prev_hash;
  if (last->seq > 1) {
    std::optional<std::string> hex = select_hash(sql, last->seq - 1);
    std::optional<audit::Digest> d = hex ? audit::digest_from_hex(*hex) : std::nullopt;
    if (!d) {
      return store_error(StoreCode::verification_failed,
                         "record " + std::to_string(last->seq - 1) + ": missing or malformed", last->seq - 1);
    }
    prev = *d;
  }
  Tip tip{last->seq, {}};
  if (Status s = check_stored_record(alg, *last, last->seq, prev, tip.hash); !s.ok()) return s.error();
  return tip;
}

Status check_rulesets_stored(soci::session& sql, const boost::json::object& body, std::uint64_t seq) {
  for (const boost::json::value& r : body.at(rf::rulesets_field).get_array()) {
    std::string sha(r.get_object().at("sha256").get_string());
    if (!ruleset_stored(sql, sha)) {
      return store_error(StoreCode::not_found, "record " + std::to_string(seq) + ": ruleset " + sha +
                                                   " is not stored (put_ruleset first)", seq);
    }
  }
  return {};
}

// The body of the claim a review or settlement concerns, as stored with its initial decision.
Result<boost::json::object> stored_claim_body(soci::session& sql, const std::string& claim_id, std::uint64_t seq) {
  std::optional<std::string> text = select_claim_body(sql, claim_id);
  if (!text) {
    return store_error(StoreCode::not_found, "record " + std::to_string(seq) + ": no claim " + claim_id, seq);
  }
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(*text);
  if (!parsed.ok() || !parsed.value().is_object()) {
    return store_error(StoreCode::corruption, "the stored body of claim " + claim_id + " is not a JSON object");
  }
  return std::move(parsed.value().get_object());
}

Result<DecisionRows> rows_for(soci::session& sql, const boost::json::object& body, std::uint64_t seq) {
  std::string claim_id(body.at(rf::claim_id_field).get_string());
  if (is_initial_decision(body)) {
    if (select_claim_body(sql, claim_id)) {
      return store_error(StoreCode::conflict, "record " + std::to_string(seq) + ": claim " + claim_id +
                                                  " already has an initial decision", seq);
    }
    return decision_rows(seq, body, body.at(rf::request_field).get_object());
  }
  Result<boost::json::object> claim = stored_claim_body(sql, claim_id, seq);
  if (!claim.ok()) return claim.error();
  return decision_rows(seq, body, claim.value());
}

// Writes record seq and the rows beside it; returns its hash, the next record's prev_hash.
Result<audit::Digest> append_one(soci::session& sql, audit::HashAlg alg, const NewRecord& record, std::uint64_t seq,
                                 const audit::Digest& prev) {
  Result<StoredRecord> sealed = seal_record(alg, record, seq, prev);
  if (!sealed.ok()) return sealed.error();
  DecisionRows rows;
  if (record.type == rf::type_decision) {
    if (Status s = check_rulesets_stored(sql, record.body, seq); !s.ok()) return s.error();
    Result<DecisionRows> r = rows_for(sql, record.body, seq);
    if (!r.ok()) return r.error();
    rows = std::move(r.value());
  }
  insert_record(sql, sealed.value());
  if (rows.claim) insert_claim(sql, *rows.claim);
  for (const LineRow& line : rows.lines) insert_line(sql, line);
  return *audit::digest_from_hex(sealed.value().hash);
}

}  // namespace

Result<std::vector<std::uint64_t>> LogStore::append(std::span<const NewRecord> batch) {
  if (batch.size() > rf::batch_records_max) {
    return store_error(StoreCode::invalid_argument, "a batch holds at most batch_records_max records");
  }
  if (batch.empty()) return std::vector<std::uint64_t>{};
  return guarded("appending to the log", [&]() -> Result<std::vector<std::uint64_t>> {
    WriteTransaction tx(*sql_, backend_);  // rolls back on every return before commit()
    Result<Tip> tip = checked_tip(*sql_, hash_alg_);
    if (!tip.ok()) return tip.error();
    std::vector<std::uint64_t> seqs;
    seqs.reserve(batch.size());
    Tip at = tip.value();
    for (const NewRecord& record : batch) {
      Result<audit::Digest> hash = append_one(*sql_, hash_alg_, record, at.seq + 1, at.hash);
      if (!hash.ok()) return hash.error();
      at = Tip{at.seq + 1, hash.value()};
      seqs.push_back(at.seq);
    }
    tx.commit();
    return seqs;
  });
}

}  // namespace subsidy::store
