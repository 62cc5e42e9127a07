#include "audit/merkle.h"

#include "audit/compact_merkle_tree.h"
#include "audit/log_format.h"

#include <algorithm>
#include <bit>
#include <string>

namespace subsidy::audit {
namespace {

Error failed(std::string message) { return make_error(ErrorCode::verification_failed, std::move(message)); }

// The largest power of two strictly below n: where RFC 9162 splits a tree of n > 1 leaves.
std::uint64_t split_point(std::uint64_t n) { return std::bit_floor(n - 1); }

// MTH of a range small enough to read at once, folded leaf by leaf.
Result<Digest> fold_entries(HashAlg alg, MerkleSource& source, std::uint64_t begin, std::uint64_t count) {
  std::vector<Digest> entries(count);
  if (auto s = source.read_entries(begin, entries); !s.ok()) return s.error();
  CompactMerkleTree tree(alg);
  for (const Digest& entry : entries) tree.append_entry(entry);
  return tree.root();
}

// MTH(D[begin:end]), REQUIRES begin < end. Every range RFC 9162's recursion visits starts at a
// multiple of the largest power of two not above its size, so complete ranges may be cached.
Result<Digest> range_root(HashAlg alg, MerkleSource& source, std::uint64_t begin, std::uint64_t end) {
  const std::uint64_t n = end - begin;
  if (std::has_single_bit(n)) {
    const auto height = static_cast<unsigned>(std::countr_zero(n));
    if (auto cached = source.cached_subtree(begin, height)) return *cached;
  }
  if (n <= merkle_read_batch_max) return fold_entries(alg, source, begin, n);
  const std::uint64_t k = split_point(n);
  auto left = range_root(alg, source, begin, begin + k);
  if (!left.ok()) return left;
  auto right = range_root(alg, source, begin + k, end);
  if (!right.ok()) return right;
  return merkle_node_hash(alg, left.value(), right.value());
}

// Right-shifts fn and sn together until fn's lowest bit is set or fn is 0.
void shift_while_even(std::uint64_t& fn, std::uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) fn >>= 1, sn >>= 1;
}

}  // namespace

std::optional<Digest> MerkleSource::cached_subtree(std::uint64_t, unsigned) { return std::nullopt; }

Status VectorMerkleSource::read_entries(std::uint64_t begin, std::span<Digest> out) {
  if (begin > entries_.size() || out.size() > entries_.size() - begin) {
    return make_error(ErrorCode::invalid_argument, "entries beyond the end of the tree");
  }
  std::copy_n(entries_.begin() + static_cast<std::ptrdiff_t>(begin), out.size(), out.begin());
  return {};
}

Digest merkle_leaf_hash(HashAlg alg, const Digest& entry) {
  const std::uint8_t prefix = log_format::merkle_leaf_prefix;
  return hash(alg, {ByteSpan(&prefix, 1), ByteSpan(entry)});
}

Digest merkle_node_hash(HashAlg alg, const Digest& left, const Digest& right) {
  const std::uint8_t prefix = log_format::merkle_node_prefix;
  return hash(alg, {ByteSpan(&prefix, 1), ByteSpan(left), ByteSpan(right)});
}

Digest merkle_empty_root(HashAlg alg) { return hash(alg, ByteSpan()); }

Result<Digest> merkle_root(HashAlg alg, MerkleSource& source, std::uint64_t tree_size) {
  if (tree_size == 0) return merkle_empty_root(alg);
  return range_root(alg, source, 0, tree_size);
}

// PATH(m, D[n]) of §2.1.3.1, unrolled: descend towards leaf index, collecting the root of the
// other half at each level; the RFC's path lists them deepest first.
Result<std::vector<Digest>> inclusion_proof(HashAlg alg, MerkleSource& source, std::uint64_t index,
                                            std::uint64_t tree_size) {
  if (index >= tree_size) {
    return make_error(ErrorCode::invalid_argument, "leaf index is not below the tree size");
  }
  std::vector<Digest> path;
  std::uint64_t begin = 0;
  std::uint64_t end = tree_size;
  while (end - begin > 1) {
    const std::uint64_t mid = begin + split_point(end - begin);
    const bool left = index < mid;
    auto sibling = left ? range_root(alg, source, mid, end) : range_root(alg, source, begin, mid);
    if (!sibling.ok()) return sibling.error();
    path.push_back(sibling.value());
    (left ? end : begin) = mid;
  }
  std::reverse(path.begin(), path.end());
  return path;
}

// §2.1.3.2, step by step.
Status verify_inclusion(HashAlg alg, const Digest& leaf_hash, std::uint64_t index, std::uint64_t tree_size,
                        std::span<const Digest> path, const Digest& root) {
  if (index >= tree_size) return failed("leaf index is not below the tree size");
  if (path.size() > merkle_path_max) return failed("inclusion path is too long");
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Digest r = leaf_hash;
  for (const Digest& p : path) {
    if (sn == 0) return failed("inclusion path is too long for the tree size");
    if ((fn & 1) == 1 || fn == sn) {
      r = merkle_node_hash(alg, p, r);
      shift_while_even(fn, sn);
    } else {
      r = merkle_node_hash(alg, r, p);
    }
    fn >>= 1, sn >>= 1;
  }
  if (sn != 0) return failed("inclusion path is too short for the tree size");
  if (r != root) return failed("inclusion path does not lead to the root");
  return {};
}

// SUBPROOF(m, D[n], b) of §2.1.4.1, unrolled like inclusion_proof: the descent follows the
// border of the old tree; the result is [MTH(D[m]) if the old tree is not itself a node of the
// new one] followed by the collected siblings, deepest first.
Result<std::vector<Digest>> consistency_proof(HashAlg alg, MerkleSource& source, std::uint64_t from_size,
                                              std::uint64_t to_size) {
  if (from_size == 0 || from_size > to_size) {
    return make_error(ErrorCode::invalid_argument, "consistency needs 0 < from_size <= to_size");
  }
  std::vector<Digest> siblings;
  std::uint64_t begin = 0;
  std::uint64_t end = to_size;
  bool old_root_is_node = true;  // the RFC's b: D[0:m] so far a complete node of the new tree
  while (from_size - begin < end - begin) {
    const std::uint64_t mid = begin + split_point(end - begin);
    const bool left = from_size <= mid;
    auto sibling = left ? range_root(alg, source, mid, end) : range_root(alg, source, begin, mid);
    if (!sibling.ok()) return sibling.error();
    siblings.push_back(sibling.value());
    (left ? end : begin) = mid;
    old_root_is_node = old_root_is_node && left;
  }
  std::vector<Digest> path;
  if (!old_root_is_node) {
    auto old_subtree = range_root(alg, source, begin, end);
    if (!old_subtree.ok()) return old_subtree.error();
    path.push_back(old_subtree.value());
  }
  path.insert(path.end(), siblings.rbegin(), siblings.rend());
  return path;
}

// §2.1.4.2, step by step.
Status verify_consistency(HashAlg alg, std::uint64_t from_size, std::uint64_t to_size,
                          const Digest& from_root, const Digest& to_root, std::span<const Digest> path) {
  if (from_size == 0 || from_size > to_size) return failed("consistency needs 0 < from_size <= to_size");
  if (from_size == to_size) {
    if (!path.empty()) return failed("consistency path between equal sizes must be empty");
    if (from_root != to_root) return failed("roots of equal tree sizes differ");
    return {};
  }
  if (path.empty()) return failed("consistency path is empty");
  if (path.size() > merkle_path_max) return failed("consistency path is too long");
  std::vector<Digest> steps;
  if (std::has_single_bit(from_size)) steps.push_back(from_root);
  steps.insert(steps.end(), path.begin(), path.end());
  std::uint64_t fn = from_size - 1;
  std::uint64_t sn = to_size - 1;
  while ((fn & 1) == 1) fn >>= 1, sn >>= 1;
  Digest fr = steps.front();
  Digest sr = steps.front();
  for (std::size_t i = 1; i < steps.size(); ++i) {
    const Digest& c = steps[i];
    if (sn == 0) return failed("consistency path is too long for the tree sizes");
    if ((fn & 1) == 1 || fn == sn) {
      fr = merkle_node_hash(alg, c, fr);
      sr = merkle_node_hash(alg, c, sr);
      shift_while_even(fn, sn);
    } else {
      sr = merkle_node_hash(alg, sr, c);
    }
    fn >>= 1, sn >>= 1;
  }
  if (sn != 0) return failed("consistency path is too short for the tree sizes");
  if (fr != from_root) return failed("consistency path does not lead to the old root");
  if (sr != to_root) return failed("consistency path does not lead to the new root");
  return {};
}

}  // namespace subsidy::audit
