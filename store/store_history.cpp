#include "store/store_history.h"

#include "audit/exact_json.h"
#include "engine/calendar.h"
#include "engine/claim_parser.h"
#include "engine/decision_effects.h"
#include "store/connection.h"
#include "store/log_tables.h"
#include "store/migrations.h"
#include "store/projection_tables.h"
#include "store/record_format.h"
#include "store/soci_edge.h"
#include "store/store_error.h"

#include <boost/json/array.hpp>
#include <soci/soci.h>

#include <algorithm>
#include <variant>

namespace subsidy::store {
namespace rf = record_format;
namespace {

// SQLite's page cache for a StoreHistory connection (the default is 2 MiB).
constexpr int sqlite_history_cache_kib = 64 * 1024;

// Runs a read of the store; a database failure becomes a StoreException (the HistoryView
// interface has no error path).
template <class Work>
auto read_or_throw(std::string_view what, Work&& work) -> decltype(work()) {
  try {
    return work();
  } catch (const soci::soci_error& e) {
    throw StoreException(store_error(StoreCode::database_error, std::string(what) + ": " + e.what()));
  }
}

[[noreturn]] void corrupt(std::string message, std::uint64_t seq = 0) {
  throw StoreException(store_error(StoreCode::corruption, std::move(message), seq));
}

Date date_or_throw(const std::string& text, std::uint64_t seq) {
  std::optional<Date> d = parse_date(text);
  if (!d) corrupt("decision_lines: a malformed date " + text, seq);
  return *d;
}

// A decision line row as the PersonHistory entry it stands for (decision_effects::add_approved_line).
void add_row(PersonHistory& h, const ApprovedLineRow& row) {
  if (row.entity_code.size() != Code18::length) corrupt("decision_lines: a malformed entity_code", row.seq);
  CreditCode entity(row.entity_code);
  std::optional<Program> program = parse_enum<Program>(row.program);
  if (!program) corrupt("decision_lines: unknown program " + row.program, row.seq);
  if (*program == Program::work_for_training) {
    std::optional<Month> month = parse_month(row.governing_month);
    if (!month) corrupt("decision_lines: a malformed governing_month", row.seq);
    if (h.wft_months.empty()) h.wft_months.reserve(decision_effects::wft_months_expected);
    h.wft_months.push_back({*month, entity, row.seq});
    return;
  }
  Period period{date_or_throw(row.period_start, row.seq), date_or_throw(row.period_end, row.seq)};
  h.approvals.push_back({*program, entity, row.seq, period, row.claim_id});
}

boost::json::object parse_object(const std::string& text, std::string_view what, std::uint64_t seq) {
  audit::Result<boost::json::value> parsed = audit::parse_exact_json(text);
  if (!parsed.ok() || !parsed.value().is_object()) corrupt(std::string(what) + " is not a JSON object", seq);
  return std::move(parsed.value().get_object());
}

template <std::size_t N>
std::optional<std::size_t> index_of(const std::array<std::string_view, N>& names, const boost::json::value* v) {
  if (!v || !v->is_string()) return std::nullopt;
  auto it = std::find(names.begin(), names.end(), std::string_view(v->get_string()));
  if (it == names.end()) return std::nullopt;
  return static_cast<std::size_t>(it - names.begin());
}

Fen fen_or_throw(const boost::json::object& o, std::string_view name, std::uint64_t seq) {
  const boost::json::value* v = o.if_contains(name);
  if (!v || !v->is_int64()) corrupt("decision: no integer " + std::string(name), seq);
  return Fen(v->get_int64());
}

// What a claim's history needs of a logged decision: kind, line subjects, statuses and requested
// amounts, disbursements (decision_to_json is the other direction).
Decision logged_decision(const boost::json::object& record, Program program, std::uint64_t seq) {
  const boost::json::value* d = record.if_contains(rf::decision_field);
  if (!d || !d->is_object()) corrupt("a decision record without \"decision\"", seq);
  const boost::json::object& o = d->get_object();
  Decision out;
  out.claim_id = std::string(record.at(rf::claim_id_field).get_string());
  out.program = program;
  std::optional<std::size_t> kind = index_of(decision_kind_names, o.if_contains("kind"));
  out.kind = kind ? static_cast<DecisionKind>(*kind) : DecisionKind::initial;
  if (const boost::json::value* lines = o.if_contains("lines"); lines && lines->is_array()) {
    for (const boost::json::value& l : lines->get_array()) {
      const boost::json::object* lo = l.if_object();
      std::optional<std::size_t> status = lo ? index_of(line_status_names, lo->if_contains("status")) : std::nullopt;
      if (!status) corrupt("decision: a line without a known status", seq);
      const boost::json::value* subject = lo->if_contains("subject");
      if (!subject || !subject->is_string() || subject->get_string().size() > Subject::chars_max) {
        corrupt("decision: a line without a subject", seq);
      }
      DecisionLine line;
      line.subject = Subject(std::string_view(subject->get_string()));
      line.status = static_cast<LineStatus>(*status);
      line.requested = fen_or_throw(*lo, "requested_fen", seq);
      line.approved = fen_or_throw(*lo, "approved_fen", seq);
      out.lines.push_back(line);
    }
  }
  if (const boost::json::value* ds = o.if_contains("disbursements"); ds && ds->is_array()) {
    for (const boost::json::value& x : ds->get_array()) {
      const boost::json::object* xo = x.if_object();
      std::optional<std::size_t> k = xo ? index_of(disbursement_kind_names, xo->if_contains("kind")) : std::nullopt;
      if (!k) corrupt("decision: a disbursement without a known kind", seq);
      out.disbursements.push_back({static_cast<DisbursementKind>(*k), fen_or_throw(*xo, "amount_fen", seq), nullptr});
    }
  }
  return out;
}

// The lines an initial decision of this claim has: a class's trainees, the months, or "claim".
std::size_t initial_line_count(const Claim& claim) {
  switch (claim.program) {
    case Program::work_for_training: return claim.months.size();
    case Program::pre_job_training: return 1;
    case Program::project_training: return claim.trainees.size();
  }
  return 0;
}

}  // namespace

// decision_effects::record's view of a StoreHistory: each slot is loaded before it changes.
struct StoreHistorySink {
  const StoreHistory& h;
  PersonHistory& person(const IdNumber& id_number) { return h.load_person(id_number); }
  Fen& total(Program program, int year) { return h.load_total(program, year); }
  void note_claim(const std::string& claim_id) { h.claim_ids_[claim_id] = true; }
  void put_claim(const std::string& claim_id, ClaimHistory&& ch) { h.kept_claims_[claim_id] = std::move(ch); }
  ClaimHistory& kept_claim(const std::string& claim_id) {
    ClaimHistory* ch = h.load_claim(claim_id);
    if (!ch) throw StoreException(store_error(StoreCode::not_found, "a review or settlement of " + claim_id + ", not a kept claim"));
    return *ch;
  }
};

StoreHistory::StoreHistory(std::unique_ptr<soci::session> sql, std::size_t cached_people_max)
    : sql_(std::move(sql)), cached_people_max_(cached_people_max) {}

StoreHistory::~StoreHistory() = default;

Result<std::unique_ptr<StoreHistory>> StoreHistory::open(std::string_view url, std::size_t cached_people_max) {
  Result<ConnectionSetting> setting = parse_connection_url(url);
  if (!setting.ok()) return setting.error();
  Result<std::unique_ptr<soci::session>> sql = open_session(setting.value());
  if (!sql.ok()) return sql.error();
  if (Status s = apply_migrations(*sql.value(), setting.value().backend); !s.ok()) return s.error();
  if (setting.value().backend == Backend::sqlite) {
    // The upper levels of the look-up B-trees stay in memory: a cold person costs a leaf page or two.
    Status s = guarded("sizing the page cache", [&]() -> Status {
      *sql.value() << "PRAGMA cache_size = -" + std::to_string(sqlite_history_cache_kib);
      return {};
    });
    if (!s.ok()) return s.error();
  }
  return std::unique_ptr<StoreHistory>(new StoreHistory(std::move(sql.value()), cached_people_max));
}

PersonHistory& StoreHistory::load_person(const IdNumber& id_number) const {
  std::string key = id_number.str();
  auto it = people_.find(key);
  if (it != people_.end()) return it->second;
  PersonHistory h;
  read_or_throw("reading a person's history", [&] {
    if (!person_query_) person_query_ = std::make_unique<PersonQuery>(*sql_);
    std::optional<PersonRow> row = person_query_->run(key, lines_);
    if (!row) return;
    h.first_name = std::move(row->name);
    h.first_name_seq = row->seq;
    for (const ApprovedLineRow& line : lines_) add_row(h, line);
  });
  return people_.emplace(std::move(key), std::move(h)).first->second;
}

ClaimHistory* StoreHistory::load_claim(const std::string& claim_id) const {
  auto it = kept_claims_.find(claim_id);
  if (it != kept_claims_.end()) return it->second ? &*it->second : nullptr;
  std::optional<ClaimHistory> ch;
  read_or_throw("reading a claim's decisions", [&] {
    std::vector<ClaimDecisionRow> decisions = select_claim_decisions(*sql_, claim_id);
    if (decisions.empty()) return;
    std::optional<std::string> body = select_claim_body(*sql_, claim_id);
    if (!body) return;
    auto parsed = parse_claim(boost::json::value(parse_object(*body, "a stored claim body", decisions.front().seq)));
    Claim* claim = std::get_if<Claim>(&parsed);
    if (!claim) corrupt("the stored body of claim " + claim_id + " is not a valid claim", decisions.front().seq);
    // The same steps, in seq order, as decision_effects::record took when each was decided.
    for (const ClaimDecisionRow& row : decisions) {
      std::optional<std::string> text = select_record_text(*sql_, row.seq);
      if (!text) corrupt("claim_decisions names a missing record", row.seq);
      Decision d = logged_decision(parse_object(*text, "a decision record", row.seq), claim->program, row.seq);
      if (d.kind == DecisionKind::initial) {
        if (!decision_effects::keeps_claim_history(*claim, d)) return;
        if (d.lines.size() != initial_line_count(*claim)) corrupt("an initial decision's lines differ from its claim's", row.seq);
        ch = decision_effects::claim_history(*claim, d, row.seq);
      } else if (!ch) {
        corrupt("a review or settlement before its claim's initial decision", row.seq);
      } else if (d.kind == DecisionKind::review) {
        decision_effects::apply_review(*ch, d);
      } else {
        decision_effects::apply_settlement(*ch, d);
      }
    }
  });
  auto& slot = kept_claims_[claim_id];
  slot = std::move(ch);
  return slot ? &*slot : nullptr;
}

Fen& StoreHistory::load_total(Program program, int year) const {
  auto key = std::make_pair(program, year);
  auto it = totals_.find(key);
  if (it != totals_.end()) return it->second;
  Fen total = read_or_throw("reading an approved total", [&] {
    return Fen(select_approved_total(*sql_, std::string(name_of(program)), year).value_or(0));
  });
  return totals_.emplace(key, total).first->second;
}

const PersonHistory* StoreHistory::person(const IdNumber& id_number) const {
  const PersonHistory& h = load_person(id_number);
  return h.first_name_seq == 0 ? nullptr : &h;
}

const ClaimHistory* StoreHistory::claim(std::string_view claim_id) const { return load_claim(std::string(claim_id)); }

Fen StoreHistory::approved_total(Program program, int year) const { return load_total(program, year); }

bool StoreHistory::has_claim(std::string_view claim_id) const {
  std::string key(claim_id);
  auto it = claim_ids_.find(key);
  if (it != claim_ids_.end()) return it->second;
  bool stored = read_or_throw("looking up a claim", [&] { return claim_stored(*sql_, key); });
  claim_ids_.emplace(std::move(key), stored);
  return stored;
}

void StoreHistory::record(const Claim& claim, const Decision& decision, Seq seq) {
  StoreHistorySink sink{*this};
  decision_effects::record(sink, claim, decision, seq);
}

void StoreHistory::discard_cache() {
  people_.clear();
  kept_claims_.clear();
  claim_ids_.clear();
  totals_.clear();
}

}  // namespace subsidy::store
