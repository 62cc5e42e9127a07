#include "store/claim_index.h"

#include "store/connection.h"
#include "store/projection_tables.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

namespace subsidy::store {

ClaimIndex::ClaimIndex(std::unique_ptr<soci::session> sql, std::string url)
    : sql_(std::move(sql)), url_(std::move(url)) {}
ClaimIndex::~ClaimIndex() = default;

Result<std::unique_ptr<ClaimIndex>> ClaimIndex::open(std::string_view url) {
  auto setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  auto session = open_session(setting.value());
  if (!session.ok()) return session.error();
  return std::unique_ptr<ClaimIndex>(new ClaimIndex(std::move(session.value()), std::string(url)));
}

Result<std::optional<StoredClaim>> ClaimIndex::find(std::string_view claim_id) {
  return guarded("looking up a claim", [&]() -> Result<std::optional<StoredClaim>> {
    std::string id(claim_id);
    long long seq = 0;
    std::string sha;
    soci::indicator ind = soci::i_null;
    *sql_ << "SELECT seq, body_sha256 FROM claims WHERE claim_id = :id", soci::use(id), soci::into(seq, ind),
        soci::into(sha);
    if (!sql_->got_data()) return std::optional<StoredClaim>();
    return std::optional<StoredClaim>(StoredClaim{static_cast<std::uint64_t>(seq), std::move(sha)});
  });
}

Result<std::vector<std::uint64_t>> ClaimIndex::decisions(std::string_view claim_id) {
  return guarded("listing a claim's decisions", [&]() -> Result<std::vector<std::uint64_t>> {
    std::vector<std::uint64_t> seqs;
    for (const ClaimDecisionRow& row : select_claim_decisions(*sql_, std::string(claim_id))) seqs.push_back(row.seq);
    return seqs;
  });
}

}  // namespace subsidy::store
