#pragma once
// Connections for the read endpoints (claims, decisions, the review queue, audit log, heads,
// proofs, reports, catalogue). Each reader of a set is one connection, usable by one thread at a
// time; HTTP threads borrow a set from this pool for one synchronous read and give it back. The
// pool grows to at most one set per thread that reads at once (the number of HTTP threads),
// opened on first use.

#include "store/catalogue_reader.h"
#include "store/claim_index.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/report_queries.h"
#include "store/status.h"

#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace subsidy::api {

struct ReadConnection {
  std::unique_ptr<store::LogStore> log;
  std::unique_ptr<store::Heads> heads;
  std::unique_ptr<store::ClaimIndex> claims;
  std::unique_ptr<store::ReportQueries> reports;       // GET /v1/reports/*
  std::unique_ptr<store::CatalogueReader> catalogue;  // GET /v1/catalogue/*, /v1/budgets
};

class ReadConnections {
 public:
  explicit ReadConnections(std::string database_url) : url_(std::move(database_url)) {}

  // A borrowed connection, returned to the pool when the lease goes.
  class Lease {
   public:
    Lease(ReadConnections& pool, std::unique_ptr<ReadConnection> c) : pool_(&pool), c_(std::move(c)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (c_) pool_->give_back(std::move(c_));
    }
    ReadConnection* operator->() { return c_.get(); }

   private:
    ReadConnections* pool_;
    std::unique_ptr<ReadConnection> c_;
  };

  // Errors: those of LogStore::open(), Heads::open(), ClaimIndex::open() and ReportQueries::open() when a
  // new connection is needed.
  store::Result<Lease> acquire();

 private:
  void give_back(std::unique_ptr<ReadConnection> c);

  std::string url_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<ReadConnection>> idle_;
};

}  // namespace subsidy::api
