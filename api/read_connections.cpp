#include "api/read_connections.h"

namespace subsidy::api {

store::Result<ReadConnections::Lease> ReadConnections::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto c = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(c));
    }
  }
  auto log = store::LogStore::open(url_);
  if (!log.ok()) return log.error();
  auto heads = store::Heads::open(url_);
  if (!heads.ok()) return heads.error();
  auto claims = store::ClaimIndex::open(url_);
  if (!claims.ok()) return claims.error();
  auto reports = store::ReportQueries::open(url_);
  if (!reports.ok()) return reports.error();
  auto catalogue = store::CatalogueReader::open(url_);
  if (!catalogue.ok()) return catalogue.error();
  auto c = std::make_unique<ReadConnection>();
  c->log = std::move(log).value();
  c->heads = std::move(heads).value();
  c->claims = std::move(claims).value();
  c->reports = std::move(reports).value();
  c->catalogue = std::move(catalogue).value();
  return Lease(*this, std::move(c));
}

void ReadConnections::give_back(std::unique_ptr<ReadConnection> c) {
  std::lock_guard lock(mutex_);
  idle_.push_back(std::move(c));
}

}  // namespace subsidy::api
