#pragma once
// "Was this claim_id decided, and with which body?" — the look-up behind idempotent
// resubmission (api.md: same claim_id and same body → the stored decision; another body → 409).
// Its own connection, read only; it sees committed claims (the writer keeps its uncommitted
// batch in memory).

#include "store/status.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

struct StoredClaim {
  std::uint64_t seq = 0;     // the initial decision's record
  std::string body_sha256;   // hex SHA-256 of the RFC 8785 text of the request as received
};

// A claim with lines still held for review (GET /v1/review-queue).
struct HeldClaim {
  std::uint64_t seq = 0;  // the initial decision that held the lines
  std::string claim_id;
  std::string program;
  std::vector<std::string> subjects;  // the lines still held, in line order
};

class ClaimIndex {
 public:
  // Errors: those of parse_connection_url() and open_session(). The log's tables must exist
  // (LogStore::open creates them).
  static Result<std::unique_ptr<ClaimIndex>> open(std::string_view url);
  ~ClaimIndex();
  ClaimIndex(const ClaimIndex&) = delete;
  ClaimIndex& operator=(const ClaimIndex&) = delete;

  // nullopt for a claim_id never decided. Errors: database_error.
  Result<std::optional<StoredClaim>> find(std::string_view claim_id);

  // The seqs of every decision record of the claim (initial, review, settlement), in seq order,
  // from the claim_decisions projection (migration 2); empty for a claim_id never decided.
  // Errors: database_error.
  Result<std::vector<std::uint64_t>> decisions(std::string_view claim_id);

  // Claims with lines that no later decision has decided, oldest (lowest seq) first: at most
  // limit of them whose initial decision is after after_seq (the queue's next page). Reads the
  // partial index of held lines (migration 3), never the whole log. Errors: database_error.
  Result<std::vector<HeldClaim>> held(std::uint64_t after_seq, std::size_t limit);


 private:
  explicit ClaimIndex(std::unique_ptr<soci::session> sql);
  std::unique_ptr<soci::session> sql_;
};

}  // namespace subsidy::store
