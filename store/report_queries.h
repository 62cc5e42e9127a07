#pragma once
// The reads behind the two report endpoints (api.md, GET /v1/reports/funds and /targets): the
// decision records of a span of time, and the approved trainings of a year with the bodies of
// the claims they belong to. Its own connection, read only; every value bound. What is counted
// and how is decided above (api/fund_report.h, api/target_report.h), not in SQL.

#include "store/record_codec.h"
#include "store/status.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

// An approved line of an initial or review decision (never a settlement's), from the
// person_approvals projection: the person, the claim and the line's governing date.
struct ApprovedTrainingRow {
  std::string claim_id, id_number, program;
  std::string governing_month;  // "YYYY-MM" for work_for_training, else ""
  std::string period_start;     // "YYYY-MM-DD" for classes and pre-job training, else ""
};

struct ClaimBodyRow {
  std::string claim_id;
  std::string body;  // the RFC 8785 text of the claim as received
};

// Which governing dates a year covers: months first_month..last_month, days first_day..last_day
// (inclusive, compared as text: both forms sort as dates).
struct GoverningSpan {
  std::string first_month, last_month;  // "2020-01", "2020-12"
  std::string first_day, last_day;      // "2020-01-01", "2020-12-31"
};

class ReportQueries {
 public:
  // Errors: those of parse_connection_url() and open_session(). The log's tables must exist.
  static Result<std::unique_ptr<ReportQueries>> open(std::string_view url);
  ~ReportQueries();
  ReportQueries(const ReportQueries&) = delete;
  ReportQueries& operator=(const ReportQueries&) = delete;

  // Hands `each` the seq and canonical text of every decision record whose decided_at lies in
  // [from, to) (RFC 3339 UTC text, which sorts as time), one row at a time: a quarter of a busy
  // log is never held whole. Errors: database_error (also when `each` throws).
  using RecordSink = std::function<void(std::uint64_t seq, const std::string& record)>;
  Status decisions_between(const std::string& from, const std::string& to, const RecordSink& each);

  // Approved lines governed in the span, in seq and line order. Errors: database_error.
  Result<std::vector<ApprovedTrainingRow>> approved_lines(const GoverningSpan& span);
  // The bodies of the claims those lines belong to, each once. Errors: database_error.
  Result<std::vector<ClaimBodyRow>> claim_bodies(const GoverningSpan& span);

 private:
  ReportQueries(std::unique_ptr<soci::session> sql, RecordCodec codec);
  std::unique_ptr<soci::session> sql_;
  RecordCodec codec_;  // reads the log's stored record text
};

}  // namespace subsidy::store
