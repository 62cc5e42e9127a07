#include "store/claim_index.h"

#include "store/connection.h"
#include "store/projection_tables.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

namespace subsidy::store {

ClaimIndex::ClaimIndex(std::unique_ptr<soci::session> sql) : sql_(std::move(sql)) {}
ClaimIndex::~ClaimIndex() = default;

Result<std::unique_ptr<ClaimIndex>> ClaimIndex::open(std::string_view url) {
  auto session = open_session(url);
  if (!session.ok()) return session.error();
  return std::unique_ptr<ClaimIndex>(new ClaimIndex(std::move(session.value())));
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

Result<std::vector<HeldClaim>> ClaimIndex::held(std::uint64_t after_seq, std::size_t limit) {
  return guarded("listing the review queue", [&]() -> Result<std::vector<HeldClaim>> {
    auto after = static_cast<long long>(after_seq);
    long long seq = 0;
    std::string claim_id, program, subject;
    // A held line is decided by a later line of the same claim and subject (a review's).
    soci::statement st =
        (sql_->prepare << "SELECT d.seq, d.claim_id, d.program, d.subject FROM decision_lines d "
                          "WHERE d.status = 'needs_review' AND d.seq > :after AND NOT EXISTS ("
                          "SELECT 1 FROM decision_lines r WHERE r.claim_id = d.claim_id AND r.subject = d.subject "
                          "AND r.seq > d.seq) ORDER BY d.seq, d.line_index",
         soci::into(seq), soci::into(claim_id), soci::into(program), soci::into(subject), soci::use(after));
    std::vector<HeldClaim> out;
    st.execute();
    while (st.fetch()) {
      auto s = static_cast<std::uint64_t>(seq);
      if (out.empty() || out.back().seq != s) {
        if (out.size() == limit) break;  // every line of a claim shares its seq: the page is whole
        out.push_back(HeldClaim{s, claim_id, program, {}});
      }
      out.back().subjects.push_back(subject);
    }
    return out;
  });
}

}  // namespace subsidy::store
