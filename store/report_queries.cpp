#include "store/report_queries.h"

#include "store/connection.h"
#include "store/record.h"
#include "store/record_format.h"
#include "store/soci_edge.h"

#include <soci/soci.h>

namespace subsidy::store {

namespace {

// The approved lines whose governing month or start lies in the span. Both backends take this
// text; '' (the other program kind's column) sorts before every date, so it never matches.
constexpr const char* governed_in_span =
    "((governing_month >= :first_month AND governing_month <= :last_month) OR "
    "(period_start >= :first_day AND period_start <= :last_day))";

}  // namespace

ReportQueries::ReportQueries(std::unique_ptr<soci::session> sql, RecordCodec codec)
    : sql_(std::move(sql)), codec_(std::move(codec)) {}
ReportQueries::~ReportQueries() = default;

Result<std::unique_ptr<ReportQueries>> ReportQueries::open(std::string_view url) {
  auto session = open_session(url);
  if (!session.ok()) return session.error();
  Result<RecordCodec> codec = load_record_codec(*session.value(), false);
  if (!codec.ok()) return codec.error();
  return std::unique_ptr<ReportQueries>(new ReportQueries(std::move(session.value()), std::move(codec.value())));
}

Status ReportQueries::decisions_between(const std::string& from, const std::string& to, const RecordSink& each) {
  return guarded("reading the decisions of a period", [&]() -> Status {
    std::string type(record_format::type_decision);
    std::int64_t seq = 0;
    std::string record;
    // Ordered as the (decided_at, seq) index (migration 3) is, so that the range is one index scan.
    soci::statement st = (sql_->prepare << "SELECT seq, record FROM log WHERE decided_at >= :from AND "
                                           "decided_at < :to AND type = :type ORDER BY decided_at, seq",
                          soci::into(seq), soci::into(record), soci::use(from), soci::use(to), soci::use(type));
    st.execute();
    while (st.fetch()) {
      codec_.decode_in_place(record);
      each(static_cast<std::uint64_t>(seq), record);
    }
    return Status();
  });
}

Result<std::vector<ApprovedTrainingRow>> ReportQueries::approved_lines(const GoverningSpan& span) {
  return guarded("reading the approved trainings of a year", [&]() -> Result<std::vector<ApprovedTrainingRow>> {
    ApprovedTrainingRow r;
    soci::statement st =
        (sql_->prepare << std::string("SELECT claim_id, id_number, program, governing_month, period_start "
                                      "FROM person_approvals WHERE ") +
                              governed_in_span + " ORDER BY seq, line_index",
         soci::into(r.claim_id), soci::into(r.id_number), soci::into(r.program), soci::into(r.governing_month),
         soci::into(r.period_start), soci::use(span.first_month), soci::use(span.last_month),
         soci::use(span.first_day), soci::use(span.last_day));
    st.execute();
    std::vector<ApprovedTrainingRow> out;
    while (st.fetch()) out.push_back(r);
    return out;
  });
}

Result<std::vector<ClaimBodyRow>> ReportQueries::claim_bodies(const GoverningSpan& span) {
  return guarded("reading the claims of a year's trainings", [&]() -> Result<std::vector<ClaimBodyRow>> {
    ClaimBodyRow r;
    std::string record;
    // A claim's body is the request of its initial decision's record (migration 5).
    soci::statement st =
        (sql_->prepare << std::string("SELECT c.claim_id, l.record FROM claims c JOIN log l ON l.seq = c.seq "
                                      "WHERE c.claim_id IN (SELECT claim_id FROM person_approvals WHERE ") +
                              governed_in_span + ") ORDER BY c.claim_id",
         soci::into(r.claim_id), soci::into(record), soci::use(span.first_month), soci::use(span.last_month),
         soci::use(span.first_day), soci::use(span.last_day));
    st.execute();
    std::vector<ClaimBodyRow> out;
    while (st.fetch()) {
      codec_.decode_in_place(record);
      // "" if the record has none: the report then counts the claim's people as unmapped.
      r.body = std::string(request_text(record));
      out.push_back(r);
    }
    return out;
  });
}

}  // namespace subsidy::store
