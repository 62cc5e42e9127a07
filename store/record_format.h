#pragma once
// Constants of the stored log record (RECORD_FORMAT.md beside this file is the prose spec).
// The hash chain itself is audit/FORMAT.md; this adds the members the store writes.

#include <array>
#include <cstddef>
#include <string_view>

namespace subsidy::store::record_format {

// Record types (audit.md "The log").
inline constexpr std::string_view type_decision = "decision";
inline constexpr std::string_view type_catalogue = "catalogue";  // catalogue_records.h
inline constexpr std::string_view type_budget = "budget";
inline constexpr std::string_view type_registry_import = "registry_import";  // registry_records.h
inline constexpr std::string_view type_class_filing = "class_filing";        // class_filing_records.h
inline constexpr std::array<std::string_view, 6> types = {"decision", "catalogue", "budget", "registry_import",
                                                          "ruleset", "class_filing"};

// Members the store sets; a caller's record must not carry them.
inline constexpr std::string_view seq_field = "seq";
inline constexpr std::string_view type_field = "type";
inline constexpr std::string_view prev_hash_field = "prev_hash";
inline constexpr std::string_view hash_field = "hash";

// Members every record carries, set by the caller.
inline constexpr std::string_view decided_at_field = "decided_at";

// Members of a decision record, set by the caller.
inline constexpr std::string_view request_field = "request";
inline constexpr std::string_view claim_id_field = "claim_id";
inline constexpr std::string_view decision_field = "decision";
inline constexpr std::string_view rulesets_field = "rulesets";
// The API token that asked for a decision (absent for tools and tests).
inline constexpr std::string_view token_id_field = "token_id";

// Limits. A batch is one transaction; a read returns at most one page.
inline constexpr std::size_t batch_records_max = 10'000;
inline constexpr std::size_t read_records_max = 1'000;
inline constexpr std::size_t record_bytes_max = 4 * 1024 * 1024;
inline constexpr std::size_t claim_id_chars_max = 64;

}  // namespace subsidy::store::record_format
