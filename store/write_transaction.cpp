#include "store/write_transaction.h"

#include "audit/check.h"

namespace subsidy::store {

WriteTransaction::WriteTransaction(soci::session& sql, Backend backend) : sql_(sql) {
  if (backend == Backend::sqlite) {
    sql_ << "BEGIN IMMEDIATE";
    return;
  }
  sql_ << "BEGIN";
  try {
    long long key = postgresql_write_lock_key;
    sql_ << "SELECT pg_advisory_xact_lock(:key)", soci::use(key);
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
