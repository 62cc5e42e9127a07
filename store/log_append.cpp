// LogStore::append: group commit of a batch of records (log_store.h), with the index and
// projection rows of each record in the same transaction (RECORD_FORMAT.md, "Tables").

#include "audit/exact_json.h"
#include "audit/hash_chain.h"
#include "store/append_statements.h"
#include "store/catalogue_records.h"
#include "store/chain_check.h"
#include "store/decision_index.h"
#include "store/log_store.h"
#include "store/log_tables.h"
#include "store/projection_tables.h"
#include "store/record_format.h"
#include "store/soci_edge.h"
#include "store/write_transaction.h"

#include <boost/json/array.hpp>

#include <utility>

namespace subsidy::store {
namespace rf = record_format;
namespace {

struct Tip {
  std::uint64_t seq = 0;
  audit::Digest hash = audit::genesis_prev_hash;
};

// The last stored record, checked against its predecessor before anything is chained to it.
Result<Tip> checked_tip(soci::session& sql, RecordCodec& codec, audit::HashAlg alg) {
  std::optional<StoredRecord> last = select_last_record(sql, codec);
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

Status check_rulesets_stored(AppendStatements& st, const boost::json::object& body, std::uint64_t seq) {
  for (const boost::json::value& r : body.at(rf::rulesets_field).get_array()) {
    std::string sha(r.get_object().at("sha256").get_string());
    if (!st.ruleset_stored(sha)) {
      return store_error(StoreCode::not_found, "record " + std::to_string(seq) + ": ruleset " + sha +
                                                   " is not stored (put_ruleset first)", seq);
    }
  }
  return {};
}

// The body of the claim a review or settlement concerns: the request of its initial decision.
Result<boost::json::object> stored_claim_body(AppendStatements& st, const std::string& claim_id, std::uint64_t seq) {
  std::optional<std::string> text = st.initial_record(claim_id);
  if (!text) {
    return store_error(StoreCode::not_found, "record " + std::to_string(seq) + ": no claim " + claim_id, seq);
  }
  audit::Result<boost::json::value> request = audit::parse_exact_json(request_text(*text));
  if (!request.ok() || !request.value().is_object()) {
    return store_error(StoreCode::corruption, "the initial decision of claim " + claim_id + " has no request object");
  }
  return std::move(request.value().get_object());
}

// The rows of a decision record: the claim's idempotency key, the decision-line index and the
// read models of the review queue and reports (RECORD_FORMAT.md, "Tables"). The state every
// decision depends on is not here: the server folds it from the log (app/state.h).
struct DecisionProjection {
  DecisionRows rows;
  std::string kind;  // "initial", "review" or "settlement"
};

std::string decision_kind(const boost::json::object& body) {
  const boost::json::value* kind = body.at(rf::decision_field).get_object().if_contains("kind");
  return kind && kind->is_string() ? std::string(kind->get_string()) : "initial";
}

StoreError claim_decided_twice(const ClaimRow& claim) {
  return store_error(StoreCode::conflict, "record " + std::to_string(claim.seq) + ": claim " + claim.claim_id +
                                              " already has an initial decision", claim.seq);
}

Result<DecisionProjection> rows_for(AppendStatements& st, const boost::json::object& body, std::uint64_t seq) {
  std::string claim_id(body.at(rf::claim_id_field).get_string());
  DecisionProjection p;
  p.kind = decision_kind(body);
  boost::json::object stored;
  const boost::json::object* claim = nullptr;
  if (is_initial_decision(body)) {
    if (st.claim_stored(claim_id)) {
      return store_error(StoreCode::conflict, "record " + std::to_string(seq) + ": claim " + claim_id +
                                                  " already has an initial decision", seq);
    }
    claim = &body.at(rf::request_field).get_object();
  } else {
    Result<boost::json::object> c = stored_claim_body(st, claim_id, seq);
    if (!c.ok()) return c.error();
    stored = std::move(c.value());
    claim = &stored;
  }
  Result<DecisionRows> rows = decision_rows(seq, body, *claim);
  if (!rows.ok()) return rows.error();
  p.rows = std::move(rows.value());
  return p;
}

void write_decision_projection(AppendStatements& st, const DecisionProjection& p) {
  if (p.rows.claim) st.insert_claim(*p.rows.claim);
  for (const LineRow& line : p.rows.lines) st.insert_line(line);
  if (p.kind == "settlement") return;
  for (const LineRow& l : p.rows.lines) {
    if (l.status == "approved") st.insert_person_approval(l);
  }
}

void write_catalogue_projection(soci::session& sql, const NewRecord& record, std::uint64_t seq) {
  if (record.type == rf::type_catalogue) {
    CatalogueRow row = catalogue_row(record.body);
    upsert_catalogue_entry(sql, row.kind, row.key, row.entry, seq);
  } else if (record.type == rf::type_budget) {
    // REQUIRES: seal_record() accepted the body (check_record_body()).
    std::string program(record.body.at("program").get_string());
    auto year = static_cast<int>(record.body.at("year").to_number<std::int64_t>());
    std::int64_t amount = record.body.at("amount_fen").to_number<std::int64_t>();
    upsert_budget(sql, program, year, amount, seq);
  }
}

// Writes record seq and the rows beside it; returns it as stored (its hash is the next record's
// prev_hash).
Result<StoredRecord> append_one(soci::session& sql, AppendStatements& st, audit::HashAlg alg, const NewRecord& record,
                                 std::uint64_t seq, const audit::Digest& prev) {
  Result<StoredRecord> sealed = seal_record(alg, record, seq, prev);
  if (!sealed.ok()) return sealed.error();
  std::optional<DecisionProjection> projection;
  if (record.type == rf::type_decision) {
    if (Status s = check_rulesets_stored(st, record.body, seq); !s.ok()) return s.error();
    Result<DecisionProjection> r = rows_for(st, record.body, seq);
    if (!r.ok()) return r.error();
    projection = std::move(r.value());
  }
  st.insert_record(sealed.value());
  if (projection) {
    write_decision_projection(st, *projection);
    st.insert_claim_decision(std::string(record.body.at(rf::claim_id_field).get_string()), seq, projection->kind);
  }
  if (record.type == rf::type_catalogue || record.type == rf::type_budget) {
    // Their rows refer to the log's row: the rows kept so far are written first.
    if (std::optional<ClaimRow> twice = st.flush()) return claim_decided_twice(*twice);
    write_catalogue_projection(sql, record, seq);
  }
  return std::move(sealed).value();
}

}  // namespace

Result<std::vector<std::uint64_t>> LogStore::append(std::span<const NewRecord> batch) {
  Result<std::vector<StoredRecord>> stored = append_records(batch);
  if (!stored.ok()) return stored.error();
  std::vector<std::uint64_t> seqs;
  seqs.reserve(stored.value().size());
  for (const StoredRecord& r : stored.value()) seqs.push_back(r.seq);
  return seqs;
}

namespace {

// Appends batch after tip, inside the caller's write transaction.
Result<std::vector<StoredRecord>> append_after(soci::session& sql, AppendStatements& st, audit::HashAlg alg, Tip at,
                                               std::span<const NewRecord> batch) {
  st.begin();
  std::vector<StoredRecord> stored;
  stored.reserve(batch.size());
  for (const NewRecord& record : batch) {
    Result<StoredRecord> written = append_one(sql, st, alg, record, at.seq + 1, at.hash);
    if (!written.ok()) return written.error();
    at = Tip{at.seq + 1, *audit::digest_from_hex(written.value().hash)};
    if (!record.returned_with_text) std::string().swap(written.value().canonical);
    stored.push_back(std::move(written).value());
  }
  if (std::optional<ClaimRow> twice = st.flush()) return claim_decided_twice(*twice);
  return stored;
}

StoreError too_large() {
  return store_error(StoreCode::invalid_argument, "a batch holds at most batch_records_max records");
}

}  // namespace

Result<std::vector<StoredRecord>> LogStore::append_records(std::span<const NewRecord> batch,
                                                           std::optional<std::uint64_t> expected_first_seq) {
  if (batch.size() > rf::batch_records_max) return too_large();
  if (batch.empty()) return std::vector<StoredRecord>{};
  return guarded("appending to the log", [&]() -> Result<std::vector<StoredRecord>> {
    WriteTransaction tx(*sql_, backend_);  // rolls back on every return before commit()
    if (!append_statements_) append_statements_ = std::make_unique<AppendStatements>(*sql_, backend_, codec_);
    Result<Tip> tip = checked_tip(*sql_, codec_, algorithms_.hash);
    if (!tip.ok()) return tip.error();
    if (expected_first_seq && tip.value().seq + 1 != *expected_first_seq) {
      return store_error(StoreCode::conflict, "the log moved: the batch was decided for seq " +
                                                  std::to_string(*expected_first_seq) + " on, but another writer has "
                                                  "appended up to seq " + std::to_string(tip.value().seq));
    }
    Result<std::vector<StoredRecord>> stored = append_after(*sql_, *append_statements_, algorithms_.hash, tip.value(), batch);
    if (stored.ok()) tx.commit();
    return stored;
  });
}

Result<std::vector<StoredRecord>> LogStore::append_following(std::uint64_t known_seq, const FollowRecord& follow,
                                                             const DecideRecords& decide) {
  return guarded("appending to the log", [&]() -> Result<std::vector<StoredRecord>> {
    WriteTransaction tx(*sql_, backend_);
    if (!append_statements_) append_statements_ = std::make_unique<AppendStatements>(*sql_, backend_, codec_);
    Result<Tip> tip = checked_tip(*sql_, codec_, algorithms_.hash);
    if (!tip.ok()) return tip.error();
    if (tip.value().seq < known_seq) {
      return store_error(StoreCode::corruption, "the log ends at seq " + std::to_string(tip.value().seq) +
                                                    ", before the seq " + std::to_string(known_seq) + " already read");
    }
    for (std::uint64_t next = known_seq + 1; next <= tip.value().seq;) {
      Result<std::vector<StoredRecord>> page = read(next, rf::read_records_max);
      if (!page.ok()) return page.error();
      if (page.value().empty()) break;
      for (const StoredRecord& r : page.value()) {
        if (Status s = follow(r); !s.ok()) return s.error();
      }
      next = page.value().back().seq + 1;
    }
    Result<std::span<const NewRecord>> batch = decide();
    if (!batch.ok()) return batch.error();
    if (batch.value().size() > rf::batch_records_max) return too_large();
    Result<std::vector<StoredRecord>> stored =
        append_after(*sql_, *append_statements_, algorithms_.hash, tip.value(), batch.value());
    if (stored.ok()) tx.commit();
    return stored;
  });
}

}  // namespace subsidy::store
