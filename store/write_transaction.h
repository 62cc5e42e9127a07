#pragma once
// Internal to store/: one write transaction that holds the log's write lock from its first
// statement, so that two writers (threads or processes) never read the same head and the seq
// stays gapless. SQLite: BEGIN IMMEDIATE. PostgreSQL: BEGIN, then an exclusive transaction-level
// advisory lock (readers are never blocked). Rolled back on destruction unless committed, so an
// error or exception anywhere in between leaves nothing written.

#include "store/connection.h"

#include <soci/soci.h>

namespace subsidy::store {

// The advisory lock key that serializes writers and migrations on PostgreSQL ("SUBS" in ASCII).
inline constexpr long long postgresql_write_lock_key = 0x53554253;
// PostgreSQL, for this transaction only (docs/shared-log.md): a writer cut off from the database
// while it holds the lock (a partition, a hung process) loses its transaction, and with it the
// lock, after this long idle, rather than when TCP keepalive notices hours later; and a writer
// waits this long for the lock before its batch fails (503) instead of waiting for ever.
inline constexpr const char* postgresql_idle_in_lock_timeout = "10s";
inline constexpr const char* postgresql_lock_wait_timeout = "30s";

class WriteTransaction {
 public:
  // Begins the transaction and takes the lock. Throws soci::soci_error (callers run in guarded()).
  WriteTransaction(soci::session& sql, Backend backend);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  // Makes everything durable (synchronous=FULL on SQLite). Throws soci::soci_error.
  // REQUIRES: not committed yet.
  void commit();

 private:
  soci::session& sql_;
  bool active_ = true;
};

}  // namespace subsidy::store
