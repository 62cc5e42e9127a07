#pragma once
// An append-only RFC 9162 Merkle tree that keeps only its frontier: the roots of the complete
// subtrees that make up the tree, one for each set bit of its size, largest first. That is at
// most merkle_height_max digests (2 KiB) whatever the size, so a log of ten million records
// keeps its root current in O(log n) memory and O(1) amortized hashes per append.

#include "audit/digest.h"
#include "audit/merkle.h"
#include "audit/result.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace subsidy::audit {

class CompactMerkleTree {
 public:
  // The empty tree.
  explicit CompactMerkleTree(HashAlg alg) : alg_(alg) {}

  // A tree of size leaves from a frontier saved with frontier(), so that a restart need not
  // re-read the log. Errors: invalid_argument unless frontier has one digest per set bit of size.
  static Result<CompactMerkleTree> restore(HashAlg alg, std::uint64_t size, std::span<const Digest> frontier);

  // Adds the entry (a record hash) as the next leaf, hashing it as RFC 9162 leaves are hashed.
  // REQUIRES: size() < UINT64_MAX.
  void append_entry(const Digest& entry);

  HashAlg alg() const { return alg_; }
  std::uint64_t size() const { return size_; }
  // MTH of all leaves appended so far; H("") for the empty tree.
  Digest root() const;
  // Roots of the complete subtrees, largest (leftmost) first.
  std::span<const Digest> frontier() const { return {frontier_.data(), count_}; }

 private:
  void append_leaf_hash(const Digest& leaf_hash);

  HashAlg alg_;
  std::uint64_t size_ = 0;
  std::array<Digest, merkle_height_max> frontier_{};
  std::size_t count_ = 0;
};

}  // namespace subsidy::audit
