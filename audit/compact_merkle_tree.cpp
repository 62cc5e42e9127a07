#include "audit/compact_merkle_tree.h"

#include "audit/check.h"

#include <algorithm>
#include <bit>
#include <limits>

namespace subsidy::audit {

Result<CompactMerkleTree> CompactMerkleTree::restore(HashAlg alg, std::uint64_t size,
                                                     std::span<const Digest> frontier) {
  if (frontier.size() != static_cast<std::size_t>(std::popcount(size))) {
    return make_error(ErrorCode::invalid_argument, "frontier does not match the tree size");
  }
  CompactMerkleTree tree(alg);
  tree.size_ = size;
  tree.count_ = frontier.size();
  std::copy(frontier.begin(), frontier.end(), tree.frontier_.begin());
  return tree;
}

void CompactMerkleTree::append_entry(const Digest& entry) { append_leaf_hash(merkle_leaf_hash(alg_, entry)); }

// Adding a leaf is binary increment: each trailing one bit of the old size is a complete subtree
// of the same height as the carry, and merges with it into one twice as high.
void CompactMerkleTree::append_leaf_hash(const Digest& leaf_hash) {
  AUDIT_CHECK(size_ < std::numeric_limits<std::uint64_t>::max());
  Digest carry = leaf_hash;
  for (std::uint64_t bits = size_; (bits & 1) == 1; bits >>= 1) {
    AUDIT_CHECK(count_ > 0);
    carry = merkle_node_hash(alg_, frontier_[--count_], carry);
  }
  AUDIT_CHECK(count_ < frontier_.size());
  frontier_[count_++] = carry;
  ++size_;
  AUDIT_CHECK(count_ == static_cast<std::size_t>(std::popcount(size_)));
}

// RFC 9162 splits at the largest power of two, so the tree is the frontier folded from the
// right: node(f0, node(f1, ... node(f[c-2], f[c-1]))).
Digest CompactMerkleTree::root() const {
  if (count_ == 0) return merkle_empty_root(alg_);
  Digest r = frontier_[count_ - 1];
  for (std::size_t i = count_ - 1; i > 0; --i) r = merkle_node_hash(alg_, frontier_[i - 1], r);
  return r;
}

}  // namespace subsidy::audit
