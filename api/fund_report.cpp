#include "api/fund_report.h"

#include "engine/money.h"

#include "audit/rfc3339.h"

#include <boost/json/array.hpp>

#include <charconv>
#include <chrono>
#include <limits>

namespace subsidy::api {

namespace {

namespace json = boost::json;

std::optional<int> digits(std::string_view text) {
  int v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  bool all_digits = text.find_first_not_of("0123456789") == std::string_view::npos;
  if (ec != std::errc() || end != text.data() + text.size() || !all_digits || text.empty()) return std::nullopt;
  return v;
}

// Midnight CST of the first day of year/month, as UTC text.
std::string cst_month_start(int year, int month) {
  using namespace std::chrono;
  sys_days day{std::chrono::year(year) / std::chrono::month(static_cast<unsigned>(month)) / 1};
  return audit::format_rfc3339_utc(sys_seconds(day) - hours(cst_offset_hours));
}

ReportPeriod months_period(std::string_view name, int year, int first_month, int months) {
  int end_month = first_month + months;  // may be 13: January of the next year
  int end_year = year + (end_month - 1) / 12;
  end_month = (end_month - 1) % 12 + 1;
  return ReportPeriod{std::string(name), cst_month_start(year, first_month), cst_month_start(end_year, end_month)};
}

// Sums that cannot overflow in practice (each input is at most fen_input_max); were one to,
// the figure stays at the largest amount rather than wrapping.
Fen saturating_add(Fen a, Fen b) {
  return checked_add(a, b).value_or(Fen(std::numeric_limits<std::int64_t>::max()));
}

const json::value* member(const json::value& v, std::string_view name) {
  const json::object* o = v.if_object();
  return o ? o->if_contains(name) : nullptr;
}

std::optional<std::string_view> text_member(const json::value& v, std::string_view name) {
  const json::value* m = member(v, name);
  if (!m || !m->is_string()) return std::nullopt;
  return std::string_view(m->get_string());
}

std::optional<Fen> fen_member(const json::value& v, std::string_view name) {
  const json::value* m = member(v, name);
  if (!m || !m->is_int64()) return std::nullopt;
  return Fen(m->get_int64());
}

// Approved and rejected lines; only initial and review decisions decide lines of a claim.
bool add_lines(const json::array& lines, ProgramFunds& f) {
  for (const json::value& line : lines) {
    auto status = text_member(line, "status");
    auto requested = fen_member(line, "requested_fen");
    auto approved = fen_member(line, "approved_fen");
    if (!status || !requested || !approved) return false;
    if (*status == "approved") f.approved.add(*approved);
    if (*status == "rejected") f.rejected.add(*requested);
  }
  return true;
}

bool add_disbursements(const json::array& disbursements, ProgramFunds& f) {
  for (const json::value& d : disbursements) {
    auto kind = text_member(d, "kind");
    auto amount = fen_member(d, "amount_fen");
    if (!kind || !amount) return false;
    if (*kind == "advance") f.advanced.add(*amount);
    if (*kind == "payment") f.paid.add(*amount);
    if (*kind == "recovery") f.recovered.add(*amount);
    if (*kind == "remainder") f.settled.amount = saturating_add(f.settled.amount, *amount);
  }
  return true;
}

json::object tally_json(const Tally& t) { return json::object{{"count", t.count}, {"amount_fen", t.amount.value()}}; }

void csv_tally(std::string& row, const Tally& t) {
  row += ',' + std::to_string(t.count) + ',' + std::to_string(t.amount.value()) + ',' + format_yuan(t.amount);
}

// The tallies in their CSV order, with their keys and their Chinese names.
struct TallyName {
  const char* key;
  const char* zh;
};
constexpr TallyName tally_names[] = {{"approved", "核准"}, {"advanced", "预拨"},   {"paid", "拨付"},
                                     {"settled", "结算"},  {"recovered", "追回"}, {"rejected", "不予补贴"}};

}  // namespace

std::optional<ReportPeriod> parse_report_period(std::string_view text) {
  if (text.size() != 7 || text[4] != '-') return std::nullopt;
  auto year = digits(text.substr(0, 4));
  if (!year || *year < report_year_min || *year > report_year_max) return std::nullopt;
  if (text[5] == 'Q') {
    auto quarter = digits(text.substr(6, 1));
    if (!quarter || *quarter < 1 || *quarter > 4) return std::nullopt;
    return months_period(text, *year, (*quarter - 1) * 3 + 1, 3);
  }
  auto month = digits(text.substr(5, 2));
  if (!month || *month < 1 || *month > 12) return std::nullopt;
  return months_period(text, *year, *month, 1);
}

void Tally::add(Fen a) {
  ++count;
  amount = saturating_add(amount, a);
}

bool FundReport::add_record(const json::value& record) {
  const json::value* decision = member(record, "decision");
  auto program_name = decision ? text_member(*decision, "program") : std::nullopt;
  auto kind = decision ? text_member(*decision, "kind") : std::nullopt;
  const json::value* lines = decision ? member(*decision, "lines") : nullptr;
  const json::value* disbursements = decision ? member(*decision, "disbursements") : nullptr;
  auto program = program_name ? parse_enum<Program>(*program_name) : std::nullopt;
  // As the decision index reads records: no kind is an initial decision; no disbursements, none.
  if (!program || !lines || !lines->is_array() || (disbursements && !disbursements->is_array())) return false;
  // Built apart and added whole, so that a malformed record adds nothing.
  ProgramFunds f;
  bool settlement = kind == "settlement";
  if (!settlement && !add_lines(lines->get_array(), f)) return false;
  if (disbursements && !add_disbursements(disbursements->get_array(), f)) return false;
  if (settlement) ++f.settled.count;
  ProgramFunds& into = programs_[static_cast<std::size_t>(*program)];
  auto merge = [](Tally& a, const Tally& b) {
    a.count += b.count;
    a.amount = saturating_add(a.amount, b.amount);
  };
  merge(into.approved, f.approved);
  merge(into.advanced, f.advanced);
  merge(into.paid, f.paid);
  merge(into.settled, f.settled);
  merge(into.recovered, f.recovered);
  merge(into.rejected, f.rejected);
  return true;
}

json::object FundReport::to_json() const {
  json::array programs;
  for (std::size_t i = 0; i < programs_.size(); ++i) {
    const ProgramFunds& f = programs_[i];
    programs.emplace_back(json::object{{"program", program_names[i]},
                                       {"approved", tally_json(f.approved)},
                                       {"advanced", tally_json(f.advanced)},
                                       {"paid", tally_json(f.paid)},
                                       {"settled", tally_json(f.settled)},
                                       {"recovered", tally_json(f.recovered)},
                                       {"rejected", tally_json(f.rejected)}});
  }
  return json::object{{"period", period_.name},         {"from", period_.from},
                      {"to", period_.to},               {"timezone", cst_offset_text},
                      {"programs", std::move(programs)}};
}

std::string FundReport::to_csv(CsvHeadings headings) const {
  std::string out = "\xEF\xBB\xBF";
  out += headings == CsvHeadings::zh ? "期间,项目代码,补贴项目" : "period,program,program_name";
  for (const TallyName& t : tally_names) {
    if (headings == CsvHeadings::zh) {
      out += std::string(",") + t.zh + "笔数," + t.zh + "金额（分）," + t.zh + "金额（元）";
    } else {
      out += std::string(",") + t.key + "_count," + t.key + "_fen," + t.key + "_yuan";
    }
  }
  out += "\r\n";
  for (std::size_t i = 0; i < programs_.size(); ++i) {
    const ProgramFunds& f = programs_[i];
    std::string row = period_.name + ',' + std::string(program_names[i]) + ',' + std::string(program_names_zh[i]);
    for (const Tally* t : {&f.approved, &f.advanced, &f.paid, &f.settled, &f.recovered, &f.rejected}) {
      csv_tally(row, *t);
    }
    out += row + "\r\n";
  }
  return out;
}

}  // namespace subsidy::api
