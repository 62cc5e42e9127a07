#include "store/heads.h"

#include "audit/base64.h"
#include "audit/log_format.h"
#include "audit/merkle.h"
#include "store/log_store.h"
#include "store/merkle_source.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <utility>

namespace subsidy::store {
namespace {

constexpr const char* head_columns =
    "SELECT seq, hash, merkle_root, signed_at, hash_alg, sig_alg, signature, public_key, key_id FROM signed_heads ";

// A signed_heads row read into plain values.
struct HeadBuffer {
  std::int64_t seq = 0;
  std::string hash, merkle_root, signed_at, hash_alg, sig_alg, signature, public_key, key_id;
};

Result<SignedHead> from_buffer(const HeadBuffer& b) {
  std::string where = "signed head " + std::to_string(b.seq) + " at " + b.signed_at;
  std::optional<audit::HashAlg> hash_alg = audit::parse_hash_alg(b.hash_alg);
  std::optional<audit::SigAlg> sig_alg = audit::parse_sig_alg(b.sig_alg);
  if (b.seq < 0 || !hash_alg || !sig_alg) {
    return store_error(StoreCode::corruption, where + ": malformed seq or algorithm names");
  }
  SignedHead h{audit::Head{static_cast<std::uint64_t>(b.seq), b.hash, b.merkle_root, b.signed_at, *hash_alg, *sig_alg},
               b.signature, b.public_key, b.key_id};
  if (audit::Status s = audit::check_head(h.head); !s.ok()) {
    return store_error(StoreCode::corruption, where + ": " + s.error().message);
  }
  return h;
}

// Runs a heads query, with :seq bound to *seq when given, collecting every row.
Result<std::vector<SignedHead>> select_heads(soci::session& sql, const std::string& tail,
                                             std::optional<std::int64_t> seq) {
  HeadBuffer b;
  std::int64_t seq_value = seq.value_or(0);
  auto prep = (sql.prepare << std::string(head_columns) + tail, soci::into(b.seq), soci::into(b.hash),
               soci::into(b.merkle_root), soci::into(b.signed_at), soci::into(b.hash_alg), soci::into(b.sig_alg),
               soci::into(b.signature), soci::into(b.public_key), soci::into(b.key_id));
  if (seq) (void)(prep, soci::use(seq_value));
  soci::statement st = prep;
  st.execute();
  std::vector<SignedHead> out;
  while (st.fetch()) {
    Result<SignedHead> h = from_buffer(b);
    if (!h.ok()) return h.error();
    out.push_back(std::move(h).value());
  }
  return out;
}

// The seq of the last record, 0 for an empty log.
std::uint64_t last_seq(soci::session& sql) {
  std::int64_t seq = 0;
  sql << "SELECT seq FROM log ORDER BY seq DESC LIMIT 1", soci::into(seq);
  if (!sql.got_data()) return 0;
  return static_cast<std::uint64_t>(seq);
}

std::optional<std::string> hash_of(soci::session& sql, std::uint64_t seq) {
  auto s = static_cast<std::int64_t>(seq);
  std::string hash;
  sql << "SELECT hash FROM log WHERE seq = :seq", soci::into(hash), soci::use(s);
  if (!sql.got_data()) return std::nullopt;
  return hash;
}

std::vector<std::string> to_hex_path(const std::vector<audit::Digest>& path) {
  std::vector<std::string> out;
  out.reserve(path.size());
  for (const audit::Digest& d : path) out.push_back(audit::to_hex(d));
  return out;
}

Result<audit::Digest> root_over(soci::session& sql, audit::HashAlg alg, std::uint64_t tree_size) {
  LogMerkleSource source(sql);
  audit::Result<audit::Digest> root = audit::merkle_root(alg, source, tree_size);
  if (!root.ok()) {
    return merkle_error(source, root.error(), "the Merkle root over " + std::to_string(tree_size) + " records");
  }
  return root.value();
}

}  // namespace

Heads::Heads(std::unique_ptr<soci::session> sql, LogAlgorithms algorithms)
    : sql_(std::move(sql)), hash_alg_(algorithms.hash), sig_alg_(algorithms.sig) {}

Heads::~Heads() = default;

Result<std::unique_ptr<Heads>> Heads::open(std::string_view url) {
  Result<std::unique_ptr<LogStore>> store = LogStore::open(url);
  if (!store.ok()) return store.error();
  LogAlgorithms alg = store.value()->algorithms();
  store.value().reset();
  Result<std::unique_ptr<soci::session>> sql = open_session(url);
  if (!sql.ok()) return sql.error();
  return std::unique_ptr<Heads>(new Heads(std::move(sql.value()), alg));
}

Result<audit::Digest> Heads::merkle_root(std::uint64_t tree_size) {
  return guarded("computing the Merkle root", [&]() -> Result<audit::Digest> {
    if (tree_size > last_seq(*sql_)) {
      return store_error(StoreCode::invalid_argument,
                         "the log has fewer than " + std::to_string(tree_size) + " records");
    }
    return root_over(*sql_, hash_alg_, tree_size);
  });
}

Result<SignedHead> Heads::sign(const audit::SigningKey& key, const Clock& clock) {
  if (key.alg() != sig_alg_) {
    return store_error(StoreCode::invalid_argument, "the log's heads are signed with " +
                                                        std::string(audit::sig_alg_name(sig_alg_)) + ", not " +
                                                        std::string(audit::sig_alg_name(key.alg())));
  }
  return guarded("signing the log head", [&]() -> Result<SignedHead> {
    // Records are only ever appended, so the root over 1..seq read after the head is the root of
    // that head, whatever is appended meanwhile.
    std::uint64_t seq = last_seq(*sql_);
    std::string hash(audit::log_format::genesis_prev_hash_hex);
    if (seq > 0) {
      std::optional<std::string> h = hash_of(*sql_, seq);
      if (!h) return store_error(StoreCode::verification_failed, "record " + std::to_string(seq) + ": missing", seq);
      hash = std::move(*h);
    }
    Result<audit::Digest> root = root_extending(seq);
    if (!root.ok()) return root.error();
    SignedHead sh;
    sh.head = audit::Head{seq, hash, audit::to_hex(root.value()), rfc3339_now(clock), hash_alg_, key.alg()};
    audit::Result<std::string> signature = audit::sign_head(key, sh.head);
    if (!signature.ok()) {
      return store_error(StoreCode::invalid_argument, "signing head " + std::to_string(seq) + ": " +
                                                          signature.error().message);
    }
    sh.signature = signature.value();
    sh.public_key = audit::base64_encode(key.public_key().raw);
    sh.key_id = audit::key_id(hash_alg_, key.public_key());

    auto s = static_cast<std::int64_t>(seq);
    std::string hash_alg(audit::hash_alg_name(hash_alg_));
    std::string sig_alg(audit::sig_alg_name(key.alg()));
    int existing = 0;
    *sql_ << "SELECT COUNT(*) FROM signed_heads WHERE seq = :seq AND signed_at = :signed_at", soci::into(existing),
        soci::use(s), soci::use(sh.head.signed_at);
    if (existing != 0) {
      return store_error(StoreCode::conflict,
                         "head " + std::to_string(seq) + " was already signed at " + sh.head.signed_at);
    }
    *sql_ << "INSERT INTO signed_heads (seq, hash, merkle_root, signed_at, hash_alg, sig_alg, signature, public_key, "
             "key_id) VALUES (:seq, :hash, :merkle_root, :signed_at, :hash_alg, :sig_alg, :signature, :public_key, "
             ":key_id)",
        soci::use(s), soci::use(sh.head.hash), soci::use(sh.head.merkle_root), soci::use(sh.head.signed_at),
        soci::use(hash_alg), soci::use(sig_alg), soci::use(sh.signature), soci::use(sh.public_key),
        soci::use(sh.key_id);
    return sh;
  });
}

Result<audit::Digest> Heads::root_extending(std::uint64_t seq) {
  // Records are never changed, so the tree of an earlier sign() is a prefix of the log's.
  if (!signed_tree_ || signed_tree_->size() > seq) signed_tree_.emplace(hash_alg_);
  audit::CompactMerkleTree tree = *signed_tree_;
  LogMerkleSource source(*sql_);
  std::vector<audit::Digest> entries;
  while (tree.size() < seq) {
    entries.resize(static_cast<std::size_t>(std::min<std::uint64_t>(seq - tree.size(), audit::merkle_read_batch_max)));
    if (audit::Status s = source.read_entries(tree.size(), entries); !s.ok()) {
      return merkle_error(source, s.error(), "the Merkle root over " + std::to_string(seq) + " records");
    }
    for (const audit::Digest& entry : entries) tree.append_entry(entry);
  }
  signed_tree_ = tree;
  return tree.root();
}

Result<std::vector<SignedHead>> Heads::all() {
  return guarded("reading the signed heads", [&]() -> Result<std::vector<SignedHead>> {
    return select_heads(*sql_, "ORDER BY seq, signed_at", std::nullopt);
  });
}

Result<SignedHead> Heads::latest() {
  return guarded("reading the latest signed head", [&]() -> Result<SignedHead> {
    Result<std::vector<SignedHead>> heads =
        select_heads(*sql_, "ORDER BY seq DESC, signed_at DESC LIMIT 1", std::nullopt);
    if (!heads.ok()) return heads.error();
    if (heads.value().empty()) return store_error(StoreCode::not_found, "no head has been signed");
    return std::move(heads.value().front());
  });
}

Result<SignedHead> Heads::at_size(std::uint64_t seq) {
  if (seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return store_error(StoreCode::invalid_argument, "tree size beyond the largest seq");
  }
  return guarded("reading a signed head", [&]() -> Result<SignedHead> {
    auto s = static_cast<std::int64_t>(seq);
    Result<std::vector<SignedHead>> heads = select_heads(*sql_, "WHERE seq = :seq ORDER BY signed_at DESC LIMIT 1", s);
    if (!heads.ok()) return heads.error();
    if (heads.value().empty()) {
      return store_error(StoreCode::not_found, "no head of tree size " + std::to_string(seq) + " has been signed");
    }
    return std::move(heads.value().front());
  });
}

Result<InclusionProof> Heads::inclusion_proof(std::uint64_t seq, std::uint64_t tree_size) {
  if (seq == 0 || seq > tree_size) {
    return store_error(StoreCode::invalid_argument, "an inclusion proof needs 1 <= seq <= tree_size");
  }
  Result<SignedHead> head = at_size(tree_size);
  if (!head.ok()) return head.error();
  return guarded("computing an inclusion proof", [&]() -> Result<InclusionProof> {
    LogMerkleSource source(*sql_);
    std::string what = "the inclusion proof of " + std::to_string(seq) + " in " + std::to_string(tree_size);
    std::array<audit::Digest, 1> entry{};
    if (audit::Status s = source.read_entries(seq - 1, entry); !s.ok()) return merkle_error(source, s.error(), what);
    audit::Result<std::vector<audit::Digest>> path = audit::inclusion_proof(hash_alg_, source, seq - 1, tree_size);
    if (!path.ok()) return merkle_error(source, path.error(), what);
    return InclusionProof{seq, tree_size, audit::to_hex(audit::merkle_leaf_hash(hash_alg_, entry[0])),
                          to_hex_path(path.value())};
  });
}

Result<InclusionProof> Heads::inclusion_proof(std::uint64_t seq) {
  Result<SignedHead> head = latest();
  if (!head.ok()) return head.error();
  return inclusion_proof(seq, head.value().head.seq);
}

Result<ConsistencyProof> Heads::consistency_proof(std::uint64_t from_size, std::uint64_t to_size) {
  if (from_size == 0 || from_size > to_size) {
    return store_error(StoreCode::invalid_argument, "a consistency proof needs 0 < from_size <= to_size");
  }
  for (std::uint64_t size : {from_size, to_size}) {
    if (Result<SignedHead> h = at_size(size); !h.ok()) return h.error();
  }
  return guarded("computing a consistency proof", [&]() -> Result<ConsistencyProof> {
    LogMerkleSource source(*sql_);
    audit::Result<std::vector<audit::Digest>> path = audit::consistency_proof(hash_alg_, source, from_size, to_size);
    if (!path.ok()) {
      return merkle_error(source, path.error(),
                          "the consistency proof from " + std::to_string(from_size) + " to " + std::to_string(to_size));
    }
    return ConsistencyProof{from_size, to_size, to_hex_path(path.value())};
  });
}

Status Heads::check_against_head(const SignedHead& signed_head) {
  const audit::Head& head = signed_head.head;
  if (audit::Status s = audit::check_head(head); !s.ok()) {
    return store_error(StoreCode::invalid_argument, "the signed head: " + s.error().message);
  }
  if (head.hash_alg != hash_alg_) {
    return store_error(StoreCode::invalid_argument, "the signed head names hash_alg " +
                                                        std::string(audit::hash_alg_name(head.hash_alg)) +
                                                        ", the log " + std::string(audit::hash_alg_name(hash_alg_)));
  }
  if (head.seq > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return store_error(StoreCode::invalid_argument, "the signed head's seq is beyond the largest seq");
  }
  std::string what = "against the signed head of " + std::to_string(head.seq) + " at " + head.signed_at + ": ";
  return guarded("checking the log against a signed head", [&]() -> Status {
    std::uint64_t last = last_seq(*sql_);
    if (last < head.seq) {
      return store_error(StoreCode::verification_failed,
                         what + "record " + std::to_string(last + 1) + ": missing (the log ends at seq " +
                             std::to_string(last) + ")",
                         last + 1);
    }
    if (head.seq > 0) {
      std::optional<std::string> hash = hash_of(*sql_, head.seq);
      if (!hash) {
        return store_error(StoreCode::verification_failed, what + "record " + std::to_string(head.seq) + ": missing",
                           head.seq);
      }
      if (*hash != head.hash) {
        return store_error(StoreCode::verification_failed,
                           what + "record " + std::to_string(head.seq) + ": hash differs from the signed head's",
                           head.seq);
      }
    }
    Result<audit::Digest> root = root_over(*sql_, hash_alg_, head.seq);
    if (!root.ok()) {
      StoreError e = root.error();
      e.message = what + e.message;
      return e;
    }
    if (audit::to_hex(root.value()) != head.merkle_root) {
      return store_error(StoreCode::verification_failed,
                         what + "the Merkle root over records 1.." + std::to_string(head.seq) + " differs", head.seq);
    }
    return {};
  });
}

Status verify_signed_head(const SignedHead& head, const audit::PublicKey& trusted) {
  std::string where = "signed head " + std::to_string(head.head.seq) + " at " + head.head.signed_at + ": ";
  if (head.public_key != audit::base64_encode(trusted.raw) ||
      head.key_id != audit::key_id(head.head.hash_alg, trusted)) {
    return store_error(StoreCode::verification_failed, where + "signed with another key (key_id " + head.key_id + ")",
                       head.head.seq);
  }
  audit::Status s = audit::verify_head(trusted, head.head, head.signature);
  if (!s.ok()) {
    StoreCode code = s.error().code == audit::ErrorCode::verification_failed ? StoreCode::verification_failed
                                                                              : StoreCode::corruption;
    return store_error(code, where + s.error().message, head.head.seq);
  }
  return {};
}

}  // namespace subsidy::store
