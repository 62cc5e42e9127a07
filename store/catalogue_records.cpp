#include "store/catalogue_records.h"

#include "audit/canonical_json.h"
#include "engine/calendar.h"
#include "engine/catalogue_parser.h"
#include "engine/claim.h"
#include "engine/identity.h"
#include "engine/limits.h"
#include "store/record_format.h"

#include <variant>

namespace subsidy::store {
namespace rf = record_format;
namespace {

using limits::budget_year_max;
using limits::budget_year_min;

boost::json::value date_or_null(const std::optional<Date>& d) {
  return d ? boost::json::value(format_date(*d)) : boost::json::value(nullptr);
}

NewRecord catalogue_put(std::string_view kind, std::string_view key, boost::json::object entry,
                        std::string_view token_id, std::string decided_at) {
  boost::json::object body;
  body[rf::decided_at_field] = std::move(decided_at);
  body["action"] = "put";
  body["kind"] = kind;
  body["key"] = key;
  body["entry"] = std::move(entry);
  body["token_id"] = token_id;
  return NewRecord{std::string(type_catalogue), std::move(body)};
}

StoreError invalid(std::uint64_t seq, std::string_view type, std::string_view field, std::string_view what) {
  std::string at = seq ? "record " + std::to_string(seq) + ": " : "";
  return store_error(StoreCode::invalid_argument,
                     at + "a " + std::string(type) + " record needs " + std::string(field) + " " + std::string(what),
                     seq);
}

const boost::json::string* string_member(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v ? v->if_string() : nullptr;
}

std::optional<std::int64_t> int_member(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  if (v && v->is_int64()) return v->get_int64();
  if (v && v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v->get_uint64());
  }
  return std::nullopt;
}

// The first problem of a parsed entry, as "entry/valid_to: must not be before valid_from".
StoreError entry_problem(std::uint64_t seq, const Problems& problems) {
  const Problem& p = problems.front();
  return invalid(seq, type_catalogue, "\"entry" + p.pointer + "\"", "valid: " + p.message);
}

struct Budget {
  Program program;
  int year;
  Fen amount;
};

Result<Budget> parse_budget(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::string* program = string_member(body, "program");
  std::optional<Program> p = program ? parse_enum<Program>(*program) : std::nullopt;
  if (!p) return invalid(seq, type_budget, "\"program\"", "naming a program");
  std::optional<std::int64_t> year = int_member(body, "year");
  if (!year || *year < budget_year_min || *year > budget_year_max) {
    return invalid(seq, type_budget, "\"year\"",
                   "as an integer from " + std::to_string(budget_year_min) + " to " + std::to_string(budget_year_max));
  }
  std::optional<std::int64_t> amount = int_member(body, "amount_fen");
  if (!amount || *amount < 0) return invalid(seq, type_budget, "\"amount_fen\"", "as an integer >= 0");
  if (!string_member(body, "token_id")) return invalid(seq, type_budget, "\"token_id\"", "as a string");
  return Budget{*p, static_cast<int>(*year), Fen(*amount)};
}

using Entry = std::variant<InstitutionEntry, ProjectEntry>;

Result<Entry> parse_put(const boost::json::object& body, std::uint64_t seq) {
  const boost::json::string* action = string_member(body, "action");
  if (!action || *action != "put") return invalid(seq, type_catalogue, "\"action\"", "\"put\"");
  const boost::json::string* kind = string_member(body, "kind");
  if (!kind || (*kind != "institution" && *kind != "project")) {
    return invalid(seq, type_catalogue, "\"kind\"", "\"institution\" or \"project\"");
  }
  const boost::json::string* key = string_member(body, "key");
  if (!key) return invalid(seq, type_catalogue, "\"key\"", "as a string");
  if (*kind == "institution" && credit_code_problem(*key)) {
    return invalid(seq, type_catalogue, "\"key\"", "as a valid credit code");
  }
  if (*kind == "project" && (key->empty() || key->size() > ClaimLimits::project_code_chars_max)) {
    return invalid(seq, type_catalogue, "\"key\"", "as a project code of 1 to 32 characters");
  }
  if (!string_member(body, "token_id")) return invalid(seq, type_catalogue, "\"token_id\"", "as a string");
  const boost::json::value* entry = body.if_contains("entry");
  if (!entry || !entry->is_object()) return invalid(seq, type_catalogue, "\"entry\"", "as an object");
  if (*kind == "institution") {
    auto parsed = parse_institution_entry(*entry, *key, "");
    if (auto* problems = std::get_if<Problems>(&parsed)) return entry_problem(seq, *problems);
    return Entry(std::get<InstitutionEntry>(std::move(parsed)));
  }
  auto parsed = parse_project_entry(*entry, *key, "");
  if (auto* problems = std::get_if<Problems>(&parsed)) return entry_problem(seq, *problems);
  return Entry(std::get<ProjectEntry>(std::move(parsed)));
}

}  // namespace

NewRecord institution_record(const InstitutionEntry& e, std::string_view token_id, std::string decided_at) {
  boost::json::object entry{{"name", e.name}, {"kind", e.kind}, {"valid_from", format_date(e.valid_from)},
                            {"valid_to", date_or_null(e.valid_to)}};
  return catalogue_put("institution", e.credit_code, std::move(entry), token_id, std::move(decided_at));
}

NewRecord project_record(const ProjectEntry& e, std::string_view token_id, std::string decided_at) {
  boost::json::object entry{{"name", e.name},
                            {"occupation", e.occupation},
                            {"program", name_of(e.program)},
                            {"standard_fen", e.standard.value()},
                            {"valid_from", format_date(e.valid_from)},
                            {"valid_to", date_or_null(e.valid_to)}};
  return catalogue_put("project", e.code, std::move(entry), token_id, std::move(decided_at));
}

NewRecord budget_record(Program program, int year, Fen amount, std::string_view token_id, std::string decided_at) {
  boost::json::object body;
  body[rf::decided_at_field] = std::move(decided_at);
  body["program"] = name_of(program);
  body["year"] = year;
  body["amount_fen"] = amount.value();
  body["token_id"] = token_id;
  return NewRecord{std::string(type_budget), std::move(body)};
}

Status check_record_body(std::string_view type, const boost::json::object& body, std::uint64_t seq) {
  if (type == type_catalogue) {
    if (Result<Entry> e = parse_put(body, seq); !e.ok()) return e.error();
  } else if (type == type_budget) {
    if (Result<Budget> b = parse_budget(body, seq); !b.ok()) return b.error();
  }
  return {};
}

CatalogueRow catalogue_row(const boost::json::object& body) {
  // REQUIRES: check_record_body() accepted body, so the entry canonicalizes.
  return CatalogueRow{std::string(body.at("kind").get_string()), std::string(body.at("key").get_string()),
                      audit::canonical_json(body.at("entry")).value()};
}

Status apply_record(const boost::json::object& record, MemoryCatalogue& catalogue) {
  const boost::json::string* type = string_member(record, rf::type_field);
  if (!type) return store_error(StoreCode::invalid_argument, "a record needs \"type\"");
  std::uint64_t seq = 0;
  if (const boost::json::value* s = record.if_contains(rf::seq_field); s && s->is_uint64()) seq = s->get_uint64();
  if (const boost::json::value* s = record.if_contains(rf::seq_field); s && s->is_int64() && s->get_int64() > 0) {
    seq = static_cast<std::uint64_t>(s->get_int64());
  }
  if (*type == type_budget) {
    Result<Budget> b = parse_budget(record, seq);
    if (!b.ok()) return b.error();
    catalogue.set_budget(b.value().program, b.value().year, b.value().amount);
  } else if (*type == type_catalogue) {
    Result<Entry> e = parse_put(record, seq);
    if (!e.ok()) return e.error();
    if (auto* i = std::get_if<InstitutionEntry>(&e.value())) catalogue.replace_institution(std::move(*i));
    if (auto* p = std::get_if<ProjectEntry>(&e.value())) catalogue.replace_project(std::move(*p));
  }
  return {};
}

}  // namespace subsidy::store
