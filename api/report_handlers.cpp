// The two reports of api.md for clerks and auditors: fund use per program in a month or quarter
// (GET /v1/reports/funds) and progress against the plan's target tasks in a year
// (GET /v1/reports/targets). Each borrows a read connection for its queries (read_connections.h);
// the counting is api/fund_report.h and api/target_report.h; docs/reports.md explains it.

#include "api/fund_report.h"
#include "api/handlers.h"
#include "api/json_body.h"
#include "api/problem_response.h"
#include "api/query_string.h"
#include "api/store_failure.h"
#include "api/target_report.h"
#include "app/files.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iostream>

namespace subsidy::api {

namespace {

namespace json = boost::json;

inline constexpr const char* csv_type = "text/csv; charset=utf-8";

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// CSV when the Accept header names text/csv before (or without) application/json; JSON otherwise
// (no header, */*, anything else). Quality values are not weighed.
bool wants_csv(const Request& request) {
  std::string accept = lower(request[http::field::accept]);
  auto csv = accept.find("text/csv");
  auto json_at = accept.find("application/json");
  return csv != std::string::npos && (json_at == std::string::npos || csv < json_at);
}

Response csv_response(std::string body) {
  Response response{http::status::ok, 11};
  response.set(http::field::content_type, csv_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

// The ruleset whose tasks and mapping a year's report uses: the one in force at the year's end,
// else the nearest (a year the plan does not cover).
const Ruleset& ruleset_for_year(const RulesetSet& rulesets, int year) {
  auto y = static_cast<unsigned short>(year);
  const Ruleset* rs = rulesets.governing(Date(y, 12, 31));
  return rs ? *rs : *rulesets.nearest(Date(y, 7, 1));
}

// The plan's tasks: the ruleset's targets.tasks_file, beside the ruleset file (an amending
// ruleset without targets uses its base's). Read per request: a small file, and no state to keep.
std::optional<Targets> load_targets(const Ruleset& rs, std::string& error) {
  boost::system::error_code ec;
  json::value doc = json::parse(rs.text, ec);
  const json::value* targets = ec || !doc.is_object() ? nullptr : doc.get_object().if_contains("targets");
  const json::value* file = targets && targets->is_object() ? targets->get_object().if_contains("tasks_file") : nullptr;
  if (!file || !file->is_string()) {
    if (rs.base) return load_targets(*rs.base, error);
    error = rs.file_name + ": names no targets.tasks_file";
    return std::nullopt;
  }
  auto path = std::filesystem::path(rs.file_name).parent_path() / std::string(file->get_string());
  auto text = app::read_json_file(path, error);
  if (!text) return std::nullopt;
  auto parsed = parse_targets(*text);
  if (auto* tasks = std::get_if<Targets>(&parsed)) return std::move(*tasks);
  error = path.string() + ": not a valid targets file";
  return std::nullopt;
}

Response targets_unavailable(const std::string& error) {
  std::cerr << "subsidyd: targets: " << error << '\n';
  return problem_response(ProblemKind::unavailable, "the plan's target tasks could not be loaded");
}

store::GoverningSpan governing_span(const TargetYearSpan& span) {
  Month first = Month::of(span.first);
  Month last = Month::of(span.last);
  return store::GoverningSpan{first.to_string(), last.to_string(), format_date(span.first), format_date(span.last)};
}

}  // namespace

boost::asio::awaitable<Response> get_funds_report(RequestContext& ctx) {
  auto text = query_param(ctx.query, "period");
  auto period = text ? parse_report_period(*text) : std::nullopt;
  if (!period) co_return bad_parameter("period must be a month YYYY-MM or a quarter YYYY-Qn, year 2000..2100");
  // lang=zh: the CSV's header row in Chinese, for a person reading it in a spreadsheet.
  std::optional<FundReport::CsvHeadings> headings = FundReport::CsvHeadings::keys;
  if (auto lang = query_param(ctx.query, "lang")) {
    headings = *lang == "zh" ? std::optional(FundReport::CsvHeadings::zh)
               : *lang == "en" ? std::optional(FundReport::CsvHeadings::keys)
                               : std::nullopt;
  }
  if (!headings) co_return bad_parameter("lang must be zh (Chinese column headings) or en (the keys)");
  FundReport report(*period);
  bool malformed = false;
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto read = lease.value()->reports->decisions_between(
      period->from, period->to, [&](std::uint64_t seq, const std::string& record) {
        boost::system::error_code ec;
        json::value v = json::parse(record, ec);
        if (ec || !report.add_record(v)) {
          std::cerr << "subsidyd: report: decision record " << seq << " lacks what the fund report counts\n";
          malformed = true;
        }
      });
  if (!read.ok()) co_return store_failure(read.error());
  if (malformed) co_return problem_response(ProblemKind::unavailable, "a decision record could not be read");
  if (wants_csv(ctx.request)) co_return csv_response(report.to_csv(*headings));
  co_return json_response(http::status::ok, report.to_json());
}

boost::asio::awaitable<Response> get_targets_report(RequestContext& ctx) {
  auto text = query_param(ctx.query, "year");
  auto year = text ? parse_u64(*text) : std::nullopt;
  if (!year || *year < report_year_min || *year > report_year_max) {
    co_return bad_parameter("year must be an integer from " + std::to_string(report_year_min) + " to " +
                            std::to_string(report_year_max));
  }
  int y = static_cast<int>(*year);
  const Ruleset& ruleset = ruleset_for_year(*ctx.services.rulesets, y);
  std::string error;
  auto targets = load_targets(ruleset, error);
  if (!targets) co_return targets_unavailable(error);
  TargetReport report(*targets, *ctx.services.rulesets, y);
  store::GoverningSpan span = governing_span(target_year_span(*targets, y));
  auto lease = ctx.services.readers->acquire();
  if (!lease.ok()) co_return store_failure(lease.error());
  auto bodies = lease.value()->reports->claim_bodies(span);
  if (!bodies.ok()) co_return store_failure(bodies.error());
  for (const store::ClaimBodyRow& c : bodies.value()) {
    boost::system::error_code ec;
    json::value body = json::parse(c.body, ec);
    if (!ec) report.add_claim(c.claim_id, body);  // unreadable: its people count as unmapped
  }
  auto lines = lease.value()->reports->approved_lines(span);
  if (!lines.ok()) co_return store_failure(lines.error());
  for (const store::ApprovedTrainingRow& r : lines.value()) {
    report.add_line(ApprovedLine{r.claim_id, r.id_number, r.program, r.governing_month, r.period_start});
  }
  co_return json_response(http::status::ok, report.to_json());
}

}  // namespace subsidy::api
