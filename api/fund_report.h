#pragma once
// Fund use per program for a month or a quarter (policy.md "Targets and reports": 定期公开资金使用情况,
// 二(三)2; api.md GET /v1/reports/funds). A decision counts in the period in which its money
// moved: its decided_at in China Standard Time (UTC+8), so a record decided at
// 2020-03-31T17:00:00Z is April's. Pure: records in, JSON or CSV out (docs/reports.md says what
// each figure counts).

#include "engine/limits.h"
#include "engine/money.h"
#include "engine/vocabulary.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace subsidy::api {

// A reporting period: a month "2020-03" or a quarter "2020-Q1" of China Standard Time, and the
// UTC instants that bound it, [from, to).
struct ReportPeriod {
  std::string name;  // as asked: "2020-03", "2020-Q1"
  std::string from;  // RFC 3339 UTC: "2020-02-29T16:00:00Z"
  std::string to;    // exclusive: "2020-03-31T16:00:00Z"
};

// Years a report may ask for (engine/limits.h).
using limits::report_year_max;
using limits::report_year_min;
// The offset of China Standard Time, in which every period is counted.
inline constexpr int cst_offset_hours = 8;
inline constexpr std::string_view cst_offset_text = "+08:00";

// "YYYY-MM" (01..12) or "YYYY-Qn" (1..4), year 2000..2100; nullopt for anything else.
std::optional<ReportPeriod> parse_report_period(std::string_view text);

// How many of a kind of thing, and their amount.
struct Tally {
  std::int64_t count = 0;
  Fen amount;
  void add(Fen a);
};

struct ProgramFunds {
  Tally approved;   // lines approved by initial and review decisions: approved_fen
  Tally advanced;   // disbursements of kind advance
  Tally paid;       // disbursements of kind payment
  Tally settled;    // settlement decisions: the remainder they pay
  Tally recovered;  // disbursements of kind recovery (paid back)
  Tally rejected;   // lines rejected by initial and review decisions: requested_fen
};

class FundReport {
 public:
  explicit FundReport(ReportPeriod period) : period_(std::move(period)) {}

  // Adds one decision record (its canonical JSON). False, adding nothing, when the record lacks a
  // member the report needs (a decision with a program, a kind, lines and disbursements).
  bool add_record(const boost::json::value& record);

  const ProgramFunds& funds(Program p) const { return programs_[static_cast<std::size_t>(p)]; }
  boost::json::object to_json() const;
  // One header row, then one row per program, CRLF line ends (RFC 4180).
  // UTF-8 with a BOM (Excel on a Chinese desktop reads it as UTF-8, not GBK), CRLF line ends:
  // a header row (keys, or Chinese headings), then one row per program with its Chinese name and
  // each tally as count, fen and yuan (docs/reports.md).
  enum class CsvHeadings { keys, zh };
  std::string to_csv(CsvHeadings headings = CsvHeadings::keys) const;

 private:
  ReportPeriod period_;
  std::array<ProgramFunds, program_names.size()> programs_{};
};

}  // namespace subsidy::api
