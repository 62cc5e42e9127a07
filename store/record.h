#pragma once
// A log record on its way in (NewRecord) and as stored (StoredRecord), and the pure step between
// them: seal_record() gives a record its seq and prev_hash, checks its form, and computes its
// canonical bytes and chain hash (RECORD_FORMAT.md). No database here.

#include "audit/digest.h"
#include "store/status.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace subsidy::store {

// What a caller appends: a type and the record's members except seq, type, prev_hash and hash,
// which the store sets. Every record has "decided_at" (RFC 3339 UTC, from the caller's Clock).
struct NewRecord {
  std::string type;
  boost::json::object body;
  // Instead of body (then empty): its RFC 8785 text. A registry import's part holds thousands of
  // persons, and a million of them as JSON values took four times their text's memory. Checked
  // on append as if it were body.
  std::string canonical_body = {};
  // False: the StoredRecord append returns for it has no text (hash, seq and the rest only). A
  // registry import's parts other than the last are answered by nobody, and a million persons'
  // text held again until the batch is answered doubled what an import peaks at.
  bool returned_with_text = true;
};

// The record's body as an object: body, or canonical_body parsed.
// Errors (invalid_argument): canonical_body is not a JSON object.
Result<boost::json::object> body_object(const NewRecord& record);

// A record as stored and read back. canonical is the RFC 8785 text that was hashed (the record
// without "hash"), byte for byte as appended.
struct StoredRecord {
  std::uint64_t seq = 0;
  std::string type;
  std::string decided_at;
  std::string canonical;
  std::string prev_hash;  // hex
  std::string hash;       // hex
  bool operator==(const StoredRecord&) const = default;
};

// The record with seq and prev_hash set, as canonical text, and its chain hash.
// Errors (invalid_argument): an unknown type; a store-owned member in body; a missing or
// malformed decided_at; for a decision, a missing or malformed request, claim_id, decision or
// rulesets, or a "seq" inside "decision" other than seq; for a catalogue or budget record, a
// malformed body (check_record_body(), catalogue_records.h); anything canonical_json() refuses;
// canonical text longer than record_bytes_max.
Result<StoredRecord> seal_record(audit::HashAlg alg, const NewRecord& record, std::uint64_t seq,
                                 const audit::Digest& prev_hash);

// The canonical text of a stored record's "request" (a decision's claim, review or settlement body
// as received); "" if record_text is not a canonical object with a "request" object. A member of
// canonical text is canonical text, so nothing is parsed.
std::string_view request_text(std::string_view record_text);

// The record as an export line shows it: the canonical members plus "hash".
// Errors: corruption if canonical does not parse as an object.
Result<boost::json::object> record_with_hash(const StoredRecord& record);

}  // namespace subsidy::store
