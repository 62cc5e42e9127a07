#pragma once
// Signed heads of the log (/work/shared/spec/audit.md "Signed head", audit/FORMAT.md "Signed
// heads") and the proofs against them, over the store's log table:
//   sign()               signs the current head (seq, hash, Merkle root) with the log's key and
//                        keeps it in signed_heads; every head ever signed is kept;
//   latest(), at_size(), all()   read them back;
//   inclusion_proof()    the RFC 9162 §2.1.3 audit path of a seq against a signed head;
//   consistency_proof()  the §2.1.4 path between two signed heads' tree sizes;
//   check_against_head() whether the stored log still matches a signed head (a truncated tail,
//                        a deleted or changed record below it), naming the seq at fault.
// Heads has its own connection; use it from one thread at a time.

#include "audit/compact_merkle_tree.h"
#include "audit/digest.h"
#include "audit/signed_head.h"
#include "audit/signing.h"
#include "store/clock.h"
#include "store/connection.h"
#include "store/log_store.h"
#include "store/status.h"

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

// A head as published: the six signed members, and beside them the signature (base64), the
// public key (base64 of the raw key) and the key id (hex H(raw key), H the log's hash).
struct SignedHead {
  audit::Head head;
  std::string signature;
  std::string public_key;
  std::string key_id;
  bool operator==(const SignedHead&) const = default;
};

// GET /v1/audit/proof/{seq}: leaf index seq - 1 in the tree of tree_size; hex digests.
struct InclusionProof {
  std::uint64_t seq = 0;
  std::uint64_t tree_size = 0;
  std::string leaf_hash;          // H(0x00 || record hash)
  std::vector<std::string> path;  // bottom-up
};

// GET /v1/audit/consistency: hex digests, RFC 9162 §2.1.4 order.
struct ConsistencyProof {
  std::uint64_t from_size = 0;
  std::uint64_t to_size = 0;
  std::vector<std::string> path;
};

class Heads {
 public:
  // Opens the log at url as LogStore::open does (migrations, the log's hash algorithm), then
  // keeps a connection of its own. Errors: those of LogStore::open().
  static Result<std::unique_ptr<Heads>> open(std::string_view url);
  ~Heads();
  Heads(const Heads&) = delete;
  Heads& operator=(const Heads&) = delete;

  audit::HashAlg hash_alg() const { return hash_alg_; }
  audit::SigAlg sig_alg() const { return sig_alg_; }

  // MTH of the hashes of records 1..tree_size, read from the store (H("") for 0).
  // Errors: verification_failed naming a missing record; corruption; database_error.
  Result<audit::Digest> merkle_root(std::uint64_t tree_size);

  // Signs the log's current head with key at clock.now() and stores it. The head's hash_alg is
  // the log's, its sig_alg the key's, which must be the log's. Errors: conflict if a head of this
  // seq was already signed at the same signed_at; verification_failed (a record below the head is
  // missing); invalid_argument if the key is of another algorithm or cannot sign (OpenSSL
  // failed); database_error.
  Result<SignedHead> sign(const audit::SigningKey& key, const Clock& clock);

  // The most recent head (largest seq; of those, the last signed). Errors: not_found if none.
  Result<SignedHead> latest();
  // The last head signed at tree size seq. Errors: not_found.
  Result<SignedHead> at_size(std::uint64_t seq);
  // Every stored head, by seq and then signed_at. Errors: corruption; database_error.
  Result<std::vector<SignedHead>> all();

  // The audit path of record seq against the signed head of size tree_size, or the latest.
  // Errors: invalid_argument unless 1 <= seq <= tree_size; not_found if no head of tree_size is
  // stored; verification_failed if a record is missing; database_error.
  Result<InclusionProof> inclusion_proof(std::uint64_t seq, std::uint64_t tree_size);
  Result<InclusionProof> inclusion_proof(std::uint64_t seq);

  // The consistency path between the signed heads of from_size and to_size.
  // Errors: invalid_argument unless 0 < from_size <= to_size; not_found if either size has no
  // signed head; verification_failed if a record is missing; database_error.
  Result<ConsistencyProof> consistency_proof(std::uint64_t from_size, std::uint64_t to_size);

  // Success iff the stored log still holds what head vouches for: records 1..head.seq all
  // present, record head.seq's hash equal to head.hash, and their Merkle root equal to
  // head.merkle_root. Does not check the signature (verify_signed_head() does).
  // Errors: verification_failed naming the seq (for a truncated tail, the first missing seq);
  // invalid_argument if the head names another hash algorithm or is malformed; database_error.
  Status check_against_head(const SignedHead& head);

 private:
  Heads(std::unique_ptr<soci::session> sql, LogAlgorithms algorithms);

  // The root over records 1..seq from the frontier of the records signed before, extended by the
  // records since: signing every N records reads those N, not the whole log again.
  Result<audit::Digest> root_extending(std::uint64_t seq);

  std::unique_ptr<soci::session> sql_;
  audit::HashAlg hash_alg_;
  audit::SigAlg sig_alg_;
  std::optional<audit::CompactMerkleTree> signed_tree_;  // the log's tree as of the last sign()
};

// Success iff head is signed by trusted: its public_key and key_id are trusted's, and its
// signature verifies over its six members. Errors: verification_failed otherwise; corruption if
// the stored members are malformed.
Status verify_signed_head(const SignedHead& head, const audit::PublicKey& trusted);

}  // namespace subsidy::store
