#pragma once
// The Merkle tree over the log's record hashes, with RFC 9162 (Certificate Transparency v2)
// hashing: for entries D[0..n) (each a record hash),
//   leaf hash   = H(0x00 || D[i])
//   node hash   = H(0x01 || left || right)
//   MTH({})     = H("")
//   MTH(D[0:n]) = node(MTH(D[0:k]), MTH(D[k:n])), k the largest power of two below n.
// Inclusion proofs (§2.1.3) show that an entry is leaf i of a tree of size n; consistency
// proofs (§2.1.4) show that the tree of size m is a prefix of the tree of size n.
// Proof paths are bottom-up, as the RFC orders them.

#include "audit/digest.h"
#include "audit/result.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace subsidy::audit {

// Tree sizes are uint64_t, so no tree is more than 64 levels high.
inline constexpr std::size_t merkle_height_max = 64;
// A verifier rejects longer paths before hashing anything. Inclusion paths have at most
// merkle_height_max elements and consistency paths at most one more; this bound is loose.
inline constexpr std::size_t merkle_path_max = 2 * merkle_height_max;
// Proof generation reads at most this many entries at a time from a MerkleSource.
inline constexpr std::size_t merkle_read_batch_max = 1024;

Digest merkle_leaf_hash(HashAlg alg, const Digest& entry);
Digest merkle_node_hash(HashAlg alg, const Digest& left, const Digest& right);
Digest merkle_empty_root(HashAlg alg);

// Where proof generation reads the tree from: the log's store in production, a vector in tests.
class MerkleSource {
 public:
  virtual ~MerkleSource() = default;
  // Fills out with the entries (record hashes, not leaf hashes) at begin, begin + 1, ...
  // Any error is handed back unchanged by the proof functions.
  virtual Status read_entries(std::uint64_t begin, std::span<Digest> out) = 0;
  // MTH of the 2^height entries from begin (a multiple of 2^height), if the source keeps it.
  // A complete subtree of an append-only log never changes, so such hashes may be cached
  // forever. The default keeps none, and every hash is computed from the entries.
  virtual std::optional<Digest> cached_subtree(std::uint64_t begin, unsigned height);
};

// Entries held in memory. The span must outlive the source.
class VectorMerkleSource final : public MerkleSource {
 public:
  explicit VectorMerkleSource(std::span<const Digest> entries) : entries_(entries) {}
  // Errors: invalid_argument if the range is beyond the entries.
  Status read_entries(std::uint64_t begin, std::span<Digest> out) override;

 private:
  std::span<const Digest> entries_;
};

// MTH(D[0:tree_size]). Errors: those of source.
Result<Digest> merkle_root(HashAlg alg, MerkleSource& source, std::uint64_t tree_size);

// The audit path of leaf index in the tree of size tree_size, bottom-up.
// Errors: invalid_argument unless index < tree_size; those of source.
Result<std::vector<Digest>> inclusion_proof(HashAlg alg, MerkleSource& source, std::uint64_t index,
                                            std::uint64_t tree_size);

// Success iff path proves that leaf_hash (a leaf hash, not the entry) is leaf index of the tree
// of size tree_size whose root is root. Errors: verification_failed otherwise.
Status verify_inclusion(HashAlg alg, const Digest& leaf_hash, std::uint64_t index, std::uint64_t tree_size,
                        std::span<const Digest> path, const Digest& root);

// The consistency proof from the tree of size from_size to that of size to_size (empty when the
// sizes are equal). Errors: invalid_argument unless 0 < from_size <= to_size; those of source.
Result<std::vector<Digest>> consistency_proof(HashAlg alg, MerkleSource& source, std::uint64_t from_size,
                                              std::uint64_t to_size);

// Success iff path proves that the tree of size from_size with root from_root is a prefix of
// the tree of size to_size with root to_root. Equal sizes need an empty path and equal roots.
// Errors: verification_failed otherwise, including from_size == 0 or from_size > to_size.
Status verify_consistency(HashAlg alg, std::uint64_t from_size, std::uint64_t to_size,
                          const Digest& from_root, const Digest& to_root, std::span<const Digest> path);

}  // namespace subsidy::audit
