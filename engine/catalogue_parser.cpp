#include "engine/catalogue_parser.h"

#include "engine/json_fields.h"

#include <boost/json.hpp>

#include <limits>

namespace subsidy {
namespace {

namespace json = boost::json;

constexpr std::size_t catalogue_text_bytes_max = 300;
constexpr std::int64_t budget_fen_max = std::numeric_limits<std::int64_t>::max() / 4;

std::optional<std::int64_t> read_integer(const json::value* v, const std::string& pointer, std::int64_t min, std::int64_t max, Problems& problems) {
  if (!v) return std::nullopt;
  if (!v->is_int64() || v->as_int64() < min || v->as_int64() > max) {
    add_problem(problems, pointer, "must be an integer from " + std::to_string(min) + " to " + std::to_string(max));
    return std::nullopt;
  }
  return v->as_int64();
}

std::optional<std::string_view> text(ObjectFields& f, std::string_view name, Problems& problems) {
  const json::value* v = f.required(name);
  return v ? read_text_bytes(*v, f.pointer_of(name), catalogue_text_bytes_max, problems) : std::nullopt;
}

// valid_from (required) and valid_to (null or absent: open-ended), in order.
void read_validity(ObjectFields& f, Date& from, std::optional<Date>& to, Problems& problems) {
  const json::value* vf = f.required("valid_from");
  auto parsed_from = vf ? read_date(*vf, f.pointer_of("valid_from"), problems) : std::nullopt;
  const json::value* vt = f.optional_nullable("valid_to");
  to = vt ? read_date(*vt, f.pointer_of("valid_to"), problems) : std::nullopt;
  if (parsed_from) from = *parsed_from;
  if (parsed_from && to && *to < *parsed_from) add_problem(problems, f.pointer_of("valid_to"), "must not be before valid_from");
}

}  // namespace

std::variant<InstitutionEntry, Problems> parse_institution_entry(const json::value& v, std::string_view credit_code, const std::string& pointer) {
  Problems problems;
  ObjectFields f(v, pointer, problems);
  InstitutionEntry e;
  e.credit_code = std::string(credit_code);
  if (const json::value* code = f.optional("credit_code")) read_credit_code(*code, f.pointer_of("credit_code"), problems);
  else read_credit_code(json::value(credit_code), pointer, problems);
  if (auto name = text(f, "name", problems)) e.name = *name;
  if (const json::value* kind = f.required("kind")) {
    auto k = read_string(*kind, f.pointer_of("kind"), problems);
    if (k && *k != "training" && *k != "evaluation") add_problem(problems, f.pointer_of("kind"), "must be training or evaluation");
    if (k) e.kind = *k;
  }
  read_validity(f, e.valid_from, e.valid_to, problems);
  f.finish();
  if (!problems.empty()) return problems;
  return e;
}

std::variant<ProjectEntry, Problems> parse_project_entry(const json::value& v, std::string_view code, const std::string& pointer) {
  Problems problems;
  ObjectFields f(v, pointer, problems);
  ProjectEntry e;
  e.code = std::string(code);
  if (const json::value* c = f.optional("code")) read_identifier(*c, f.pointer_of("code"), ClaimLimits::project_code_chars_max, problems);
  if (auto name = text(f, "name", problems)) e.name = *name;
  if (auto occupation = text(f, "occupation", problems)) e.occupation = *occupation;
  if (const json::value* p = f.required("program")) {
    auto program = read_enum<Program>(*p, f.pointer_of("program"), "program", problems);
    if (program == Program::work_for_training) add_problem(problems, f.pointer_of("program"), "must be project_training or pre_job_training");
    if (program) e.program = *program;
  }
  if (auto fen = read_integer(f.required("standard_fen"), f.pointer_of("standard_fen"), 0, fen_input_max, problems)) e.standard = Fen(*fen);
  read_validity(f, e.valid_from, e.valid_to, problems);
  f.finish();
  if (!problems.empty()) return problems;
  return e;
}

namespace {

template <class Read>
void each_item(const json::object& file, std::string_view list, Problems& problems, Read&& read) {
  const json::value* items = file.if_contains(list);
  if (!items) return;
  std::string pointer = pointer_append("", list);
  const json::array* array = read_array(*items, pointer, 0, 100000, problems);
  if (!array) return;
  for (std::size_t i = 0; i < array->size(); ++i) read((*array)[i], pointer_append(pointer, i));
}

std::string key_of(const json::value& item, std::string_view key) {
  const json::value* k = item.is_object() ? item.as_object().if_contains(key) : nullptr;
  return k && k->is_string() ? std::string(k->as_string()) : std::string();
}

template <class Entry>
bool take(std::variant<Entry, Problems>&& r, Problems& problems, Entry& out) {
  if (auto* e = std::get_if<Entry>(&r)) {
    out = std::move(*e);
    return true;
  }
  for (auto& p : std::get<Problems>(r)) problems.push_back(std::move(p));
  return false;
}

}  // namespace

std::variant<MemoryCatalogue, Problems> parse_catalogue_file(const json::value& v) {
  Problems problems;
  MemoryCatalogue catalogue;
  ObjectFields file(v, "", problems);
  if (!file.is_object()) return problems;
  file.optional("institutions");
  file.optional("projects");
  file.optional("budgets");
  file.optional("notes");
  file.finish();
  const json::object& o = v.as_object();
  each_item(o, "institutions", problems, [&](const json::value& item, const std::string& ptr) {
    InstitutionEntry e;
    if (take(parse_institution_entry(item, key_of(item, "credit_code"), ptr), problems, e)) catalogue.put_institution(std::move(e));
  });
  each_item(o, "projects", problems, [&](const json::value& item, const std::string& ptr) {
    ProjectEntry e;
    if (take(parse_project_entry(item, key_of(item, "code"), ptr), problems, e)) catalogue.put_project(std::move(e));
  });
  each_item(o, "budgets", problems, [&](const json::value& item, const std::string& ptr) {
    ObjectFields f(item, ptr, problems);
    const json::value* p = f.required("program");
    auto program = p ? read_enum<Program>(*p, f.pointer_of("program"), "program", problems) : std::nullopt;
    auto year = read_integer(f.required("year"), f.pointer_of("year"), year_min, year_max, problems);
    auto amount = read_integer(f.required("amount_fen"), f.pointer_of("amount_fen"), 0, budget_fen_max, problems);
    f.finish();
    if (program && year && amount) catalogue.set_budget(*program, static_cast<int>(*year), Fen(*amount));
  });
  if (!problems.empty()) return problems;
  return catalogue;
}

}  // namespace subsidy
