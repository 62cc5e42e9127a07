#pragma once
// Checks one stored record against the chain before anything trusts it (RECORD_FORMAT.md,
// "Verification"). Used after every read and before every write, and by verify_chain() over the
// whole log. Pure: no database.

#include "audit/digest.h"
#include "store/record.h"
#include "store/status.h"

#include <cstdint>

namespace subsidy::store {

// Success iff row is record expected_seq of the chain whose previous hash is expected_prev:
// row.seq == expected_seq (otherwise that record is missing or out of place); the prev_hash
// column is the hex of expected_prev; the hash column is the chain hash of the stored text; the
// text is canonical JSON of an object whose "seq", "type", "prev_hash" and "decided_at" equal
// the columns and that has no "hash". On success next_prev is the record's hash.
// Errors name seq = expected_seq: verification_failed for a missing record or a hash or member
// that does not match, corruption for text that is not a canonical JSON object.
Status check_stored_record(audit::HashAlg alg, const StoredRecord& row, std::uint64_t expected_seq,
                           const audit::Digest& expected_prev, audit::Digest& next_prev);

}  // namespace subsidy::store
