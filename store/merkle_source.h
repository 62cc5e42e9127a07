#pragma once
// The log's Merkle tree read straight from the store: an audit::MerkleSource whose entries are
// the hash column of the log table, entry i being record seq = i + 1 (audit/FORMAT.md, "Merkle
// tree"). Entries are read in batches of bound-parameter range queries, never more than
// batch_size rows at a time, and each row is checked: a missing seq (a deleted or truncated
// record) or a malformed hash fails the read, naming the seq.
//
// A source is a view onto a session it does not own; use it from one thread at a time.

#include "audit/digest.h"
#include "audit/merkle.h"
#include "audit/result.h"
#include "store/status.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace soci {
class session;
}

namespace subsidy::store {

class LogMerkleSource final : public audit::MerkleSource {
 public:
  // sql must be a session onto a migrated log and outlive the source.
  // REQUIRES: 1 <= batch_size <= audit::merkle_read_batch_max.
  explicit LogMerkleSource(soci::session& sql, std::size_t batch_size = audit::merkle_read_batch_max);

  // Fills out with the hashes of records begin + 1, begin + 2, ... as digests.
  // Errors: invalid_argument if the range is beyond what a seq can name; verification_failed if a
  // record in the range is missing ("record N: missing"); corruption if a hash is not a digest;
  // io_error if the database fails. The store's own error, with the seq at fault, is kept in
  // last_error() until the next read.
  audit::Status read_entries(std::uint64_t begin, std::span<audit::Digest> out) override;

  // The store error of the last failed read_entries(), or nullopt after a successful one.
  const std::optional<StoreError>& last_error() const { return last_error_; }

 private:
  Status read_range(std::uint64_t begin, std::span<audit::Digest> out);

  soci::session& sql_;
  std::size_t batch_size_;
  std::optional<StoreError> last_error_;
};

// The store error behind an audit error from a LogMerkleSource (its last_error() if set, else the
// audit error translated), prefixed with what.
StoreError merkle_error(const LogMerkleSource& source, const audit::Error& error, std::string_view what);

}  // namespace subsidy::store
