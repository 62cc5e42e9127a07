#include "store/log_tables.h"

namespace subsidy::store {
namespace {

constexpr const char* select_columns = "SELECT seq, type, record, prev_hash, hash, decided_at FROM log ";

// A row read into plain values, then moved into a StoredRecord.
struct RecordBuffer {
  std::int64_t seq = 0;
  std::string type, record, prev_hash, hash, decided_at;

  StoredRecord take() {
    return StoredRecord{static_cast<std::uint64_t>(seq), std::move(type),      std::move(decided_at),
                        std::move(record),              std::move(prev_hash), std::move(hash)};
  }
};

}  // namespace

std::optional<StoredRecord> select_last_record(soci::session& sql, RecordCodec& codec) {
  RecordBuffer b;
  sql << std::string(select_columns) + "ORDER BY seq DESC LIMIT 1", soci::into(b.seq), soci::into(b.type),
      soci::into(b.record), soci::into(b.prev_hash), soci::into(b.hash), soci::into(b.decided_at);
  if (!sql.got_data()) return std::nullopt;
  codec.decode_in_place(b.record);
  return b.take();
}

std::optional<std::string> select_hash(soci::session& sql, std::uint64_t seq) {
  auto s = static_cast<std::int64_t>(seq);
  std::string hash;
  sql << "SELECT hash FROM log WHERE seq = :seq", soci::into(hash), soci::use(s);
  if (!sql.got_data()) return std::nullopt;
  return hash;
}

std::optional<std::string> select_meta(soci::session& sql, const std::string& name) {
  std::string value;
  sql << "SELECT value FROM log_meta WHERE name = :name", soci::into(value), soci::use(name);
  if (!sql.got_data()) return std::nullopt;
  return value;
}

std::optional<std::string> select_latest_head_sig_alg(soci::session& sql) {
  std::string value;
  sql << "SELECT sig_alg FROM signed_heads ORDER BY seq DESC LIMIT 1", soci::into(value);
  if (!sql.got_data()) return std::nullopt;
  return value;
}

bool insert_ruleset(soci::session& sql, const std::string& sha256, const std::string& id, const std::string& version,
                    const std::string& text) {
  std::string stored_id, stored_version;
  sql << "SELECT id, version FROM rulesets WHERE sha256 = :sha256", soci::into(stored_id), soci::into(stored_version),
      soci::use(sha256);
  if (sql.got_data()) return stored_id == id && stored_version == version;
  sql << "INSERT INTO rulesets (sha256, id, version, text) VALUES (:sha256, :id, :version, :text)", soci::use(sha256),
      soci::use(id), soci::use(version), soci::use(text);
  return true;
}

std::optional<std::string> select_ruleset_text(soci::session& sql, const std::string& sha256) {
  std::string text;
  sql << "SELECT text FROM rulesets WHERE sha256 = :sha256", soci::into(text), soci::use(sha256);
  if (!sql.got_data()) return std::nullopt;
  return text;
}

void insert_meta(soci::session& sql, const std::string& name, const std::string& value) {
  sql << "INSERT INTO log_meta (name, value) VALUES (:name, :value)", soci::use(name), soci::use(value);
}

}  // namespace subsidy::store
