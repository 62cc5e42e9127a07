// Proofs are checked against a reference written straight from the definitions in RFC 9162
// §2.1.1, §2.1.3.1 and §2.1.4.1 (recursion over slices, hashing through OpenSSL directly), for
// every tree size up to 64 and every leaf index and old size, and for samples of larger trees.

#include "audit/merkle.h"
#include "audit/compact_merkle_tree.h"

#include <doctest/doctest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

using namespace subsidy::audit;

namespace {

using Bytes = std::vector<std::uint8_t>;
using Path = std::vector<Digest>;

// ---- The reference: RFC 9162 §2.1 as written, on byte strings. ----

Digest reference_hash(HashAlg alg, const Bytes& bytes) {
  Digest out{};
  unsigned int length = 0;
  const EVP_MD* md = alg == HashAlg::sha256 ? EVP_sha256() : EVP_sm3();
  REQUIRE(EVP_Digest(bytes.data(), bytes.size(), out.data(), &length, md, nullptr) == 1);
  return out;
}

Bytes concat(std::uint8_t prefix, const Bytes& a, const Bytes& b = {}) {
  Bytes out{prefix};
  out.insert(out.end(), a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

Bytes bytes_of(const Digest& d) { return {d.begin(), d.end()}; }

std::size_t largest_power_of_two_below(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

std::vector<Bytes> slice(const std::vector<Bytes>& d, std::size_t begin, std::size_t end) {
  return {d.begin() + static_cast<std::ptrdiff_t>(begin), d.begin() + static_cast<std::ptrdiff_t>(end)};
}

Digest reference_mth(HashAlg alg, const std::vector<Bytes>& d) {
  if (d.empty()) return reference_hash(alg, {});
  if (d.size() == 1) return reference_hash(alg, concat(0x00, d[0]));
  const std::size_t k = largest_power_of_two_below(d.size());
  return reference_hash(alg, concat(0x01, bytes_of(reference_mth(alg, slice(d, 0, k))),
                                    bytes_of(reference_mth(alg, slice(d, k, d.size())))));
}

Path reference_path(HashAlg alg, std::size_t m, const std::vector<Bytes>& d) {
  if (d.size() == 1) return {};
  const std::size_t k = largest_power_of_two_below(d.size());
  Path path;
  if (m < k) {
    path = reference_path(alg, m, slice(d, 0, k));
    path.push_back(reference_mth(alg, slice(d, k, d.size())));
  } else {
    path = reference_path(alg, m - k, slice(d, k, d.size()));
    path.push_back(reference_mth(alg, slice(d, 0, k)));
  }
  return path;
}

Path reference_subproof(HashAlg alg, std::size_t m, const std::vector<Bytes>& d, bool b) {
  if (m == d.size()) return b ? Path{} : Path{reference_mth(alg, d)};
  const std::size_t k = largest_power_of_two_below(d.size());
  Path proof;
  if (m <= k) {
    proof = reference_subproof(alg, m, slice(d, 0, k), b);
    proof.push_back(reference_mth(alg, slice(d, k, d.size())));
  } else {
    proof = reference_subproof(alg, m - k, slice(d, k, d.size()), false);
    proof.push_back(reference_mth(alg, slice(d, 0, k)));
  }
  return proof;
}

Path reference_consistency(HashAlg alg, std::size_t m, const std::vector<Bytes>& d) {
  return reference_subproof(alg, m, d, true);
}

// ---- Fixtures. ----

std::vector<Digest> random_entries(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  std::vector<Digest> entries(n);
  for (auto& entry : entries) {
    for (auto& byte : entry) byte = static_cast<std::uint8_t>(random());
  }
  return entries;
}

std::vector<Bytes> as_data(const std::vector<Digest>& entries, std::size_t n) {
  std::vector<Bytes> data;
  for (std::size_t i = 0; i < n; ++i) data.push_back(bytes_of(entries[i]));
  return data;
}

Digest flip_bit(Digest d, std::size_t bit) {
  d[(bit / 8) % d.size()] ^= static_cast<std::uint8_t>(1u << (bit % 8));
  return d;
}

Digest from_hex(std::string_view hex) { return digest_from_hex(hex).value(); }

// Roots of every tree size 0..n, from the reference.
std::vector<Digest> reference_roots(HashAlg alg, const std::vector<Digest>& entries, std::size_t n) {
  std::vector<Digest> roots;
  for (std::size_t size = 0; size <= n; ++size) roots.push_back(reference_mth(alg, as_data(entries, size)));
  return roots;
}

// A source that also keeps every complete subtree of at least 2^height_min leaves, and counts the
// entries read.
class CachingSource final : public MerkleSource {
 public:
  CachingSource(HashAlg alg, const std::vector<Digest>& entries, unsigned height_min)
      : alg_(alg), entries_(entries), height_min_(height_min) {}
  Status read_entries(std::uint64_t begin, std::span<Digest> out) override {
    entries_read += out.size();
    return VectorMerkleSource(entries_).read_entries(begin, out);
  }
  std::optional<Digest> cached_subtree(std::uint64_t begin, unsigned height) override {
    const std::uint64_t size = std::uint64_t{1} << height;
    if (height < height_min_ || begin + size > entries_.size()) return std::nullopt;
    REQUIRE(begin % size == 0);
    return reference_mth(alg_, slice(as_data(entries_, entries_.size()), begin, begin + size));
  }
  std::size_t entries_read = 0;

 private:
  HashAlg alg_;
  const std::vector<Digest>& entries_;
  unsigned height_min_;
};

constexpr std::size_t small_size_max = 64;

}  // namespace

TEST_CASE("the reference reproduces Certificate Transparency's known answers") {
  // The leaf inputs and hashes of RFC 6962's reference tests (same hashing as RFC 9162).
  std::vector<Bytes> leaves;
  for (const char* hex :
       {"", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"}) {
    leaves.push_back(bytes_from_hex(hex).value());
  }
  const char* roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  for (std::size_t n = 1; n <= leaves.size(); ++n) {
    CHECK(reference_mth(HashAlg::sha256, slice(leaves, 0, n)) == from_hex(roots[n - 1]));
  }
  CHECK(reference_path(HashAlg::sha256, 0, leaves) ==
        Path{from_hex("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
             from_hex("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
             from_hex("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")});
  CHECK(reference_consistency(HashAlg::sha256, 6, leaves) ==
        Path{from_hex("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
             from_hex("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
             from_hex("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")});
  CHECK(to_hex(merkle_empty_root(HashAlg::sha256)) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("leaf and node hashes use the RFC 9162 prefixes") {
  const auto entries = random_entries(2, 1);
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sm3}) {
    CHECK(merkle_leaf_hash(alg, entries[0]) == reference_hash(alg, concat(0x00, bytes_of(entries[0]))));
    CHECK(merkle_node_hash(alg, entries[0], entries[1]) ==
          reference_hash(alg, concat(0x01, bytes_of(entries[0]), bytes_of(entries[1]))));
  }
}

TEST_CASE("compact tree and merkle_root agree with the reference for every size to 300") {
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sm3}) {
    const std::size_t n_max = alg == HashAlg::sha256 ? 300 : 70;
    const auto entries = random_entries(n_max, 2);
    const auto roots = reference_roots(alg, entries, n_max);
    VectorMerkleSource source(entries);
    CompactMerkleTree tree(alg);
    for (std::size_t n = 0; n <= n_max; ++n) {
      CAPTURE(n);
      CHECK(tree.size() == n);
      CHECK(tree.root() == roots[n]);
      CHECK(tree.frontier().size() == static_cast<std::size_t>(std::popcount(n)));
      CHECK(merkle_root(alg, source, n).value() == roots[n]);
      if (n < n_max) tree.append_entry(entries[n]);
    }
  }
}

TEST_CASE("a tree restored from its frontier continues exactly") {
  const auto entries = random_entries(100, 3);
  CompactMerkleTree full(HashAlg::sha256);
  for (const auto& e : entries) full.append_entry(e);
  CompactMerkleTree growing(HashAlg::sha256);
  for (std::size_t k = 0; k < entries.size(); ++k) {
    auto restored = CompactMerkleTree::restore(HashAlg::sha256, k, growing.frontier());
    REQUIRE(restored.ok());
    for (std::size_t i = k; i < entries.size(); ++i) restored.value().append_entry(entries[i]);
    CHECK(restored.value().root() == full.root());
    growing.append_entry(entries[k]);
  }
  const auto frontier = full.frontier();
  CHECK_FALSE(CompactMerkleTree::restore(HashAlg::sha256, 101, frontier).ok());
  CHECK_FALSE(CompactMerkleTree::restore(HashAlg::sha256, 100, frontier.first(2)).ok());
}

TEST_CASE("inclusion proofs for every leaf of every tree size 1..64") {
  const HashAlg alg = HashAlg::sha256;
  const auto entries = random_entries(small_size_max + 1, 4);
  const auto roots = reference_roots(alg, entries, small_size_max + 1);
  VectorMerkleSource source(entries);
  for (std::size_t n = 1; n <= small_size_max; ++n) {
    const auto data = as_data(entries, n);
    for (std::size_t m = 0; m < n; ++m) {
      CAPTURE(n);
      CAPTURE(m);
      const auto proof = inclusion_proof(alg, source, m, n);
      REQUIRE(proof.ok());
      const Path& path = proof.value();
      REQUIRE(path == reference_path(alg, m, data));
      const Digest leaf = merkle_leaf_hash(alg, entries[m]);
      CHECK(verify_inclusion(alg, leaf, m, n, path, roots[n]).ok());

      for (std::size_t i = 0; i < path.size(); ++i) {
        for (std::size_t bit : {std::size_t{0}, 7 * i + 3, std::size_t{255}}) {
          Path tampered = path;
          tampered[i] = flip_bit(tampered[i], bit);
          CHECK(verify_inclusion(alg, leaf, m, n, tampered, roots[n]).error().code ==
                ErrorCode::verification_failed);
        }
      }
      for (std::size_t other = 0; other <= n; ++other) {  // index n is out of range
        if (other != m) CHECK_FALSE(verify_inclusion(alg, leaf, other, n, path, roots[n]).ok());
      }
      for (std::size_t size = m + 1; size <= small_size_max + 1; ++size) {
        if (size != n) CHECK_FALSE(verify_inclusion(alg, leaf, m, size, path, roots[size]).ok());
      }
      CHECK_FALSE(verify_inclusion(alg, flip_bit(leaf, 9), m, n, path, roots[n]).ok());
      CHECK_FALSE(verify_inclusion(alg, entries[m], m, n, path, roots[n]).ok());  // entry, not leaf
      CHECK_FALSE(verify_inclusion(alg, leaf, m, n, path, flip_bit(roots[n], 0)).ok());
      Path longer = path;
      longer.push_back(roots[n]);
      CHECK_FALSE(verify_inclusion(alg, leaf, m, n, longer, roots[n]).ok());
      if (!path.empty()) {
        const Path shorter(path.begin(), path.end() - 1);
        CHECK_FALSE(verify_inclusion(alg, leaf, m, n, shorter, roots[n]).ok());
      }
    }
  }
}

TEST_CASE("consistency proofs for every pair of sizes 1 <= m <= n <= 64") {
  const HashAlg alg = HashAlg::sha256;
  const auto entries = random_entries(small_size_max + 1, 5);
  const auto roots = reference_roots(alg, entries, small_size_max + 1);
  VectorMerkleSource source(entries);
  for (std::size_t n = 1; n <= small_size_max; ++n) {
    const auto data = as_data(entries, n);
    for (std::size_t m = 1; m <= n; ++m) {
      CAPTURE(n);
      CAPTURE(m);
      const auto proof = consistency_proof(alg, source, m, n);
      REQUIRE(proof.ok());
      const Path& path = proof.value();
      REQUIRE(path == reference_consistency(alg, m, data));
      CHECK(verify_consistency(alg, m, n, roots[m], roots[n], path).ok());

      for (std::size_t i = 0; i < path.size(); ++i) {
        for (std::size_t bit : {std::size_t{0}, 5 * i + 1, std::size_t{255}}) {
          Path tampered = path;
          tampered[i] = flip_bit(tampered[i], bit);
          CHECK(verify_consistency(alg, m, n, roots[m], roots[n], tampered).error().code ==
                ErrorCode::verification_failed);
        }
      }
      for (std::size_t from = 1; from <= n; ++from) {
        if (from != m) CHECK_FALSE(verify_consistency(alg, from, n, roots[from], roots[n], path).ok());
      }
      for (std::size_t to = m; to <= small_size_max + 1; ++to) {
        if (to != n) CHECK_FALSE(verify_consistency(alg, m, to, roots[m], roots[to], path).ok());
      }
      CHECK_FALSE(verify_consistency(alg, m, n, flip_bit(roots[m], 3), roots[n], path).ok());
      CHECK_FALSE(verify_consistency(alg, m, n, roots[m], flip_bit(roots[n], 3), path).ok());
      if (m != n) CHECK_FALSE(verify_consistency(alg, m, n, roots[n], roots[m], path).ok());
      if (m != n) CHECK_FALSE(verify_consistency(alg, n, m, roots[n], roots[m], path).ok());
      Path longer = path;
      longer.push_back(roots[0]);
      CHECK_FALSE(verify_consistency(alg, m, n, roots[m], roots[n], longer).ok());
      if (!path.empty()) {
        const Path shorter(path.begin(), path.end() - 1);
        CHECK_FALSE(verify_consistency(alg, m, n, roots[m], roots[n], shorter).ok());
      }
    }
  }
}

TEST_CASE("proofs with SM3 agree with the reference") {
  const HashAlg alg = HashAlg::sm3;
  const auto entries = random_entries(20, 6);
  const auto roots = reference_roots(alg, entries, 20);
  VectorMerkleSource source(entries);
  for (std::size_t n = 1; n <= 20; ++n) {
    for (std::size_t m = 0; m < n; ++m) {
      const auto path = inclusion_proof(alg, source, m, n).value();
      CHECK(path == reference_path(alg, m, as_data(entries, n)));
      CHECK(verify_inclusion(alg, merkle_leaf_hash(alg, entries[m]), m, n, path, roots[n]).ok());
      const auto consistency = consistency_proof(alg, source, m + 1, n).value();
      CHECK(consistency == reference_consistency(alg, m + 1, as_data(entries, n)));
      CHECK(verify_consistency(alg, m + 1, n, roots[m + 1], roots[n], consistency).ok());
    }
  }
}

TEST_CASE("larger trees, across the read batch size: sampled leaves and old sizes") {
  const HashAlg alg = HashAlg::sha256;
  std::mt19937_64 random(7);
  for (const std::size_t n :
       {std::size_t{1000}, std::size_t{1024}, std::size_t{1025}, std::size_t{2049}, std::size_t{4097}}) {
    CAPTURE(n);
    const auto entries = random_entries(n, n);
    const auto data = as_data(entries, n);
    const Digest root = reference_mth(alg, data);
    VectorMerkleSource source(entries);
    CHECK(merkle_root(alg, source, n).value() == root);
    std::vector<std::size_t> samples = {0, 1, n / 2, n - 2, n - 1};
    for (int i = 0; i < 12; ++i) samples.push_back(random() % n);
    for (const std::size_t m : samples) {
      CAPTURE(m);
      const auto path = inclusion_proof(alg, source, m, n).value();
      CHECK(path == reference_path(alg, m, data));
      CHECK(verify_inclusion(alg, merkle_leaf_hash(alg, entries[m]), m, n, path, root).ok());
      const std::size_t from = m + 1;
      const auto consistency = consistency_proof(alg, source, from, n).value();
      CHECK(consistency == reference_consistency(alg, from, data));
      const Digest from_root = reference_mth(alg, slice(data, 0, from));
      CHECK(verify_consistency(alg, from, n, from_root, root, consistency).ok());
    }
  }
}

TEST_CASE("a source's cached subtrees give the same proofs from far fewer entries") {
  const HashAlg alg = HashAlg::sha256;
  const std::size_t n = 4097;
  const auto entries = random_entries(n, 8);
  VectorMerkleSource plain(entries);
  CachingSource cached(alg, entries, 4);
  CHECK(inclusion_proof(alg, cached, 1234, n).value() == inclusion_proof(alg, plain, 1234, n).value());
  CHECK(cached.entries_read <= 32);
  cached.entries_read = 0;
  CHECK(consistency_proof(alg, cached, 3001, n).value() == consistency_proof(alg, plain, 3001, n).value());
  CHECK(cached.entries_read <= 32);
}

TEST_CASE("proof requests and proofs outside the rules are refused") {
  const HashAlg alg = HashAlg::sha256;
  const auto entries = random_entries(8, 9);
  VectorMerkleSource source(entries);
  CHECK(inclusion_proof(alg, source, 8, 8).error().code == ErrorCode::invalid_argument);
  CHECK(inclusion_proof(alg, source, 0, 0).error().code == ErrorCode::invalid_argument);
  CHECK(consistency_proof(alg, source, 0, 8).error().code == ErrorCode::invalid_argument);
  CHECK(consistency_proof(alg, source, 5, 4).error().code == ErrorCode::invalid_argument);
  CHECK_FALSE(inclusion_proof(alg, source, 3, 9).ok());  // the source has only 8 entries
  CHECK(consistency_proof(alg, source, 8, 8).value().empty());

  const Digest root = merkle_root(alg, source, 8).value();
  const Digest leaf = merkle_leaf_hash(alg, entries[0]);
  CHECK(verify_consistency(alg, 8, 8, root, root, {}).ok());
  CHECK_FALSE(verify_consistency(alg, 8, 8, root, flip_bit(root, 1), {}).ok());
  CHECK_FALSE(verify_consistency(alg, 8, 8, root, root, Path{root}).ok());
  CHECK_FALSE(verify_consistency(alg, 0, 8, merkle_empty_root(alg), root, {}).ok());
  CHECK_FALSE(verify_consistency(alg, 4, 8, root, root, {}).ok());  // empty path for m < n
  CHECK_FALSE(verify_inclusion(alg, leaf, 0, 0, {}, merkle_empty_root(alg)).ok());
  const Path too_long(merkle_path_max + 1, root);
  CHECK_FALSE(verify_inclusion(alg, leaf, 0, 8, too_long, root).ok());
  CHECK_FALSE(verify_consistency(alg, 4, 8, root, root, too_long).ok());
  // A single-leaf tree's root is its leaf hash, with an empty path.
  CHECK(verify_inclusion(alg, leaf, 0, 1, {}, merkle_root(alg, source, 1).value()).ok());
}
