#include "store/merkle_source.h"

#include "store/soci_edge.h"

#include <soci/soci.h>

#include <algorithm>
#include <cassert>
#include <limits>
#include <string>

namespace subsidy::store {
namespace {

audit::ErrorCode audit_code(StoreCode code) {
  switch (code) {
    case StoreCode::invalid_argument:
      return audit::ErrorCode::invalid_argument;
    case StoreCode::not_found:
      return audit::ErrorCode::not_found;
    case StoreCode::corruption:
      return audit::ErrorCode::corruption;
    case StoreCode::verification_failed:
      return audit::ErrorCode::verification_failed;
    case StoreCode::conflict:
    case StoreCode::database_error:
      break;
  }
  return audit::ErrorCode::io_error;
}

StoreCode store_code(audit::ErrorCode code) {
  switch (code) {
    case audit::ErrorCode::invalid_argument:
      return StoreCode::invalid_argument;
    case audit::ErrorCode::not_found:
      return StoreCode::not_found;
    case audit::ErrorCode::corruption:
      return StoreCode::corruption;
    case audit::ErrorCode::verification_failed:
      return StoreCode::verification_failed;
    case audit::ErrorCode::already_exists:
      return StoreCode::conflict;
    case audit::ErrorCode::io_error:
    case audit::ErrorCode::crypto_error:
      break;
  }
  return StoreCode::database_error;
}

}  // namespace

LogMerkleSource::LogMerkleSource(soci::session& sql, std::size_t batch_size) : sql_(sql), batch_size_(batch_size) {
  assert(batch_size_ >= 1 && batch_size_ <= audit::merkle_read_batch_max);
}

audit::Status LogMerkleSource::read_entries(std::uint64_t begin, std::span<audit::Digest> out) {
  last_error_.reset();
  Status s = read_range(begin, out);
  if (s.ok()) return {};
  last_error_ = s.error();
  return audit::make_error(audit_code(s.error().code), s.error().message);
}

Status LogMerkleSource::read_range(std::uint64_t begin, std::span<audit::Digest> out) {
  constexpr auto seq_max = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (begin >= seq_max || out.size() > seq_max - begin) {
    return store_error(StoreCode::invalid_argument, "Merkle entries beyond the largest seq");
  }
  return guarded("reading the log's Merkle entries", [&]() -> Status {
    std::int64_t seq = 0;
    std::string hash;
    std::int64_t from = 0;
    std::int64_t to = 0;  // exclusive
    soci::statement st = (sql_.prepare << "SELECT seq, hash FROM log WHERE seq >= :from AND seq < :to ORDER BY seq",
                          soci::into(seq), soci::into(hash), soci::use(from), soci::use(to));
    std::size_t done = 0;
    while (done < out.size()) {
      std::size_t n = std::min(batch_size_, out.size() - done);
      from = static_cast<std::int64_t>(begin + done + 1);
      to = from + static_cast<std::int64_t>(n);
      st.execute();
      std::int64_t expected = from;
      while (st.fetch()) {
        if (seq != expected) break;
        std::optional<audit::Digest> d = audit::digest_from_hex(hash);
        if (!d) {
          return store_error(StoreCode::corruption, "record " + std::to_string(seq) + ": malformed hash",
                             static_cast<std::uint64_t>(seq));
        }
        out[done++] = *d;
        ++expected;
      }
      if (expected != to) {
        return store_error(StoreCode::verification_failed, "record " + std::to_string(expected) + ": missing",
                           static_cast<std::uint64_t>(expected));
      }
    }
    return {};
  });
}

StoreError merkle_error(const LogMerkleSource& source, const audit::Error& error, std::string_view what) {
  StoreError e = source.last_error() ? *source.last_error() : StoreError{store_code(error.code), error.message, 0};
  e.message = std::string(what) + ": " + e.message;
  return e;
}

}  // namespace subsidy::store
