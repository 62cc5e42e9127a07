#pragma once
// Internal to store/: the SQL of the log's tables, one function per statement, every value bound
// as a parameter. Throw soci::soci_error; callers run them in guarded() inside a transaction
// where they write.

#include "store/decision_index.h"
#include "store/record.h"
#include "store/record_codec.h"

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::store {

// The record with the highest seq, or nullopt for an empty log; its text decoded by codec.
std::optional<StoredRecord> select_last_record(soci::session& sql, RecordCodec& codec);
// The hash column of record seq, or nullopt.
std::optional<std::string> select_hash(soci::session& sql, std::uint64_t seq);

// The inserts of an append are append_statements.h's, prepared once per connection.

// Stores a ruleset text under its sha256 unless present. False iff the sha256 is stored with
// another id or version (the text is the same by construction; the names must be too).
bool insert_ruleset(soci::session& sql, const std::string& sha256, const std::string& id, const std::string& version,
                    const std::string& text);
std::optional<std::string> select_ruleset_text(soci::session& sql, const std::string& sha256);

// log_meta: a value by name, or nullopt; and insert.
std::optional<std::string> select_meta(soci::session& sql, const std::string& name);
void insert_meta(soci::session& sql, const std::string& name, const std::string& value);

// The sig_alg of the latest signed head, or nullopt if none was signed.
std::optional<std::string> select_latest_head_sig_alg(soci::session& sql);

}  // namespace subsidy::store
