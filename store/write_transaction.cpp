#include "store/write_transaction.h"

#include "audit/check.h"

#include <string>

namespace subsidy::store {

WriteTransaction::WriteTransaction(soci::session& sql, Backend backend) : sql_(sql) {
  if (backend == Backend::sqlite) {
    sql_ << "BEGIN IMMEDIATE";
    return;
  }
  sql_ << "BEGIN";
  try {
    long long key = postgresql_write_lock_key;
    std::string idle = postgresql_idle_in_lock_timeout, wait = postgresql_lock_wait_timeout;
    // One round trip; set_config(..., true) is SET LOCAL, evaluated before the lock is asked for.
    sql_ << "SELECT set_config('idle_in_transaction_session_timeout', :idle, true), "
            "set_config('lock_timeout', :wait, true), pg_advisory_xact_lock(:key)",
        soci::use(idle), soci::use(wait), soci::use(key);
  } catch (...) {
    sql_ << "ROLLBACK";
    throw;
  }
}

WriteTransaction::~WriteTransaction() {
  if (!active_) return;
  try {
    sql_ << "ROLLBACK";
  } catch (...) {
    // The connection is gone or the transaction already aborted: the database discards it.
  }
}

void WriteTransaction::commit() {
  AUDIT_CHECK(active_);
  // On failure the destructor still rolls back: SQLite can leave a transaction open after a
  // failed COMMIT, and PostgreSQL ignores a ROLLBACK outside a transaction.
  sql_ << "COMMIT";
  active_ = false;
}

}  // namespace subsidy::store
