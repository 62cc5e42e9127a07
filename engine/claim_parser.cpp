#include "engine/claim_parser.h"

#include "engine/json_fields.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace subsidy {
namespace {

namespace json = boost::json;

enum class Presence : std::uint8_t { optional, required, forbidden };

// Which parts a claim of each program has (api.md). When the program itself is missing or
// unknown every part is optional, so that the parts that are there still get checked.
struct ProgramShape {
  Presence person, employment, months, project, training, trainees;
  Presence project_period;  // project.start and project.end
};

ProgramShape shape_of(std::optional<Program> program) {
  constexpr auto opt = Presence::optional, req = Presence::required, no = Presence::forbidden;
  if (!program) return {opt, opt, opt, opt, opt, opt, opt};
  switch (*program) {
    case Program::work_for_training: return {req, req, req, no, no, no, no};
    case Program::pre_job_training: return {req, req, no, req, req, no, no};
    case Program::project_training: return {no, no, no, req, no, req, req};
  }
  return {opt, opt, opt, opt, opt, opt, opt};
}

// A forbidden part is reported and not read: its contents cannot matter.
const json::value* take(ObjectFields& fields, std::string_view name, Presence presence,
                        std::optional<Program> program) {
  switch (presence) {
    case Presence::required: return fields.required(name);
    case Presence::optional: return fields.optional(name);
    case Presence::forbidden:
      fields.forbid(name, "not allowed for " + std::string(name_of(*program)));
      return nullptr;
  }
  return nullptr;
}

void check_order(const std::optional<Date>& start, const std::optional<Date>& end,
                 const std::string& end_pointer, Problems& problems) {
  if (start && end && *end < *start) {
    add_problem(problems, end_pointer, "must not be before start (" + format_date(*start) + ")");
  }
}

CategorySet read_categories(const json::value& value, const std::string& pointer,
                            Problems& problems) {
  CategorySet categories;
  const json::array* array = read_array(value, pointer, 1, category_names.size(), problems);
  if (!array) return categories;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto category = read_enum<Category>((*array)[i], item_pointer, "category", problems);
    if (!category) continue;
    if (categories.contains(*category)) {
      add_problem(problems, item_pointer, std::string(name_of(*category)) + " is given twice");
    }
    categories.insert(*category);
  }
  return categories;
}

// Reports an id_number seen before in the same list, at the later occurrence.
class DuplicateIds {
 public:
  void check(const IdNumber& id, const std::string& pointer, Problems& problems) {
    auto [it, inserted] = first_.emplace(id, pointer);
    if (!inserted) add_problem(problems, pointer, "given twice (first at " + it->second + ")");
  }

 private:
  std::map<IdNumber, std::string> first_;
};

// A person: the claim's `person` or one of a class's `trainees`.
// `seen`, when given, reports an id_number that an earlier trainee already had.
Person read_person(const json::value& value, std::string pointer, DuplicateIds* seen,
                   Problems& problems) {
  Person person;
  ObjectFields fields(value, std::move(pointer), problems);
  if (auto* v = fields.required("id_number")) {
    std::string id_pointer = fields.pointer_of("id_number");
    if (auto id = read_resident_id(*v, id_pointer, problems)) {
      person.id_number = *id;
      if (seen) seen->check(*id, id_pointer, problems);
    }
  }
  if (auto* v = fields.required("name")) {
    auto name =
        read_text_bytes(*v, fields.pointer_of("name"), ClaimLimits::name_bytes_max, problems);
    if (name) person.name = *name;
  }
  if (auto* v = fields.required("categories")) {
    person.categories = read_categories(*v, fields.pointer_of("categories"), problems);
  }
  fields.finish();
  return person;
}

Entity read_entity(const json::value& value, std::string pointer, Problems& problems) {
  Entity entity;
  ObjectFields fields(value, std::move(pointer), problems);
  if (auto* v = fields.required("credit_code")) {
    if (auto code = read_credit_code(*v, fields.pointer_of("credit_code"), problems)) {
      entity.credit_code = *code;
    }
  }
  if (auto* v = fields.required("name")) {
    auto name =
        read_text_bytes(*v, fields.pointer_of("name"), ClaimLimits::name_bytes_max, problems);
    if (name) entity.name = *name;
  }
  if (auto* v = fields.required("type")) {
    auto type = read_enum<EntityType>(*v, fields.pointer_of("type"), "entity type", problems);
    if (type) entity.type = *type;
  }
  if (auto* v = fields.optional("insured")) {
    entity.insured = read_bool(*v, fields.pointer_of("insured"), problems).value_or(false);
  }
  fields.finish();
  return entity;
}

Employment read_employment(const json::value& value, std::string pointer, Problems& problems) {
  Employment employment;
  ObjectFields fields(value, std::move(pointer), problems);
  std::optional<Date> start;
  if (auto* v = fields.required("start"))
    start = read_date(*v, fields.pointer_of("start"), problems);
  if (start) employment.start = *start;
  if (auto* v = fields.optional_nullable("end")) {
    employment.end = read_date(*v, fields.pointer_of("end"), problems);
    check_order(start, employment.end, fields.pointer_of("end"), problems);
  }
  fields.finish();
  return employment;
}

// {start, end}: a pre-job training, or a project class's dates read by the caller's fields.
std::optional<Period> read_period_fields(ObjectFields& fields, Problems& problems) {
  std::optional<Date> start, end;
  if (auto* v = fields.required("start"))
    start = read_date(*v, fields.pointer_of("start"), problems);
  if (auto* v = fields.required("end")) end = read_date(*v, fields.pointer_of("end"), problems);
  check_order(start, end, fields.pointer_of("end"), problems);
  if (!start || !end) return std::nullopt;
  return Period{*start, *end};
}

std::optional<Period> read_training(const json::value& value, std::string pointer,
                                    Problems& problems) {
  ObjectFields fields(value, std::move(pointer), problems);
  auto period = read_period_fields(fields, problems);
  fields.finish();
  return period;
}

ProjectRef read_project(const json::value& value, std::string pointer, Presence period_presence,
                        std::optional<Program> program, Problems& problems) {
  ProjectRef project;
  ObjectFields fields(value, std::move(pointer), problems);
  if (auto* v = fields.required("code")) {
    auto code = read_identifier(*v, fields.pointer_of("code"), ClaimLimits::project_code_chars_max,
                                problems);
    if (code) project.code = *code;
  }
  if (period_presence == Presence::required) {
    project.period = read_period_fields(fields, problems);
    if (auto* v = fields.optional("class_id")) {
      auto id = read_identifier(*v, fields.pointer_of("class_id"), ClaimLimits::claim_id_chars_max, problems);
      if (id) project.class_id = *id;
    }
  } else if (period_presence == Presence::forbidden) {
    // pre_job_training: the dates are the training's, given once in `training`.
    std::string message = "not allowed for " + std::string(name_of(*program)) + " (see /training)";
    fields.forbid("start", message);
    fields.forbid("end", message);
    fields.forbid("class_id", "only a project_training class is filed (开班备案)");
  } else if (fields.optional("start") || fields.optional("end")) {
    // The program is unknown: check the dates only if they are there.
    project.period = read_period_fields(fields, problems);
  }
  if (period_presence == Presence::optional) {
    if (auto* v = fields.optional("class_id")) read_identifier(*v, fields.pointer_of("class_id"), ClaimLimits::claim_id_chars_max, problems);
  }
  fields.finish();
  return project;
}

std::vector<Month> read_months(const json::value& value, const std::string& pointer,
                               Problems& problems) {
  std::vector<Month> months;
  const json::array* array = read_array(value, pointer, 1, ClaimLimits::months_max, problems);
  if (!array) return months;
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto month = read_month((*array)[i], item_pointer, problems);
    if (!month) continue;
    if (std::find(months.begin(), months.end(), *month) != months.end()) {
      add_problem(problems, item_pointer, month->to_string() + " is given twice");
      continue;
    }
    months.push_back(*month);
  }
  std::sort(months.begin(), months.end());
  return months;
}

std::vector<Person> read_trainees(const json::value& value, const std::string& pointer,
                                  Problems& problems) {
  std::vector<Person> trainees;
  const json::array* array = read_array(value, pointer, 1, ClaimLimits::trainees_max, problems);
  if (!array) return trainees;
  DuplicateIds seen;
  for (std::size_t i = 0; i < array->size(); ++i) {
    trainees.push_back(read_person((*array)[i], pointer_append(pointer, i), &seen, problems));
  }
  return trainees;
}

Evidence read_evidence_item(const json::value& value, std::string pointer, Problems& problems) {
  Evidence evidence;
  ObjectFields fields(value, std::move(pointer), problems);
  if (auto* v = fields.required("kind")) {
    auto kind = read_enum<EvidenceKind>(*v, fields.pointer_of("kind"), "evidence kind", problems);
    if (kind) evidence.kind = *kind;
  }
  if (auto* v = fields.required("ref")) {
    auto ref = read_text_chars(*v, fields.pointer_of("ref"), ClaimLimits::ref_chars_max, problems);
    if (ref) evidence.ref = *ref;
  }
  if (auto* v = fields.optional("sha256")) {
    if (auto sha256 = read_sha256(*v, fields.pointer_of("sha256"), problems)) {
      evidence.sha256 = std::string(*sha256);
    }
  }
  fields.finish();
  return evidence;
}

// `evidence` may be empty: which kinds a claim needs is a rule (evidence.required), not syntax.
void read_evidence(const json::value& value, const std::string& pointer,
                   std::vector<Evidence>& evidence, EvidenceKindSet& kinds, Problems& problems) {
  const json::array* array = read_array(value, pointer, 0, ClaimLimits::evidence_max, problems);
  if (!array) return;
  for (std::size_t i = 0; i < array->size(); ++i) {
    evidence.push_back(read_evidence_item((*array)[i], pointer_append(pointer, i), problems));
    kinds.insert(evidence.back().kind);
  }
}

// The fields every claim has, whatever its program.
void read_common(ObjectFields& fields, Claim& claim, Problems& problems) {
  if (auto* v = fields.required("claim_id")) {
    auto id = read_identifier(*v, fields.pointer_of("claim_id"), ClaimLimits::claim_id_chars_max,
                              problems);
    if (id) claim.claim_id = *id;
  }
  if (auto* v = fields.required("submitted_on")) {
    if (auto date = read_date(*v, fields.pointer_of("submitted_on"), problems)) {
      claim.submitted_on = *date;
    }
  }
  if (auto* v = fields.required("entity")) {
    claim.entity = read_entity(*v, fields.pointer_of("entity"), problems);
  }
  if (auto* v = fields.required("evidence")) {
    read_evidence(*v, fields.pointer_of("evidence"), claim.evidence, claim.evidence_kinds,
                  problems);
  }
}

// The parts that depend on the program: present, absent or forbidden as its shape says.
void read_program_parts(ObjectFields& fields, std::optional<Program> program, Claim& claim,
                        Problems& problems) {
  ProgramShape shape = shape_of(program);
  if (auto* v = take(fields, "person", shape.person, program)) {
    claim.person = read_person(*v, fields.pointer_of("person"), nullptr, problems);
  }
  if (auto* v = take(fields, "employment", shape.employment, program)) {
    claim.employment = read_employment(*v, fields.pointer_of("employment"), problems);
  }
  if (auto* v = take(fields, "months", shape.months, program)) {
    claim.months = read_months(*v, fields.pointer_of("months"), problems);
  }
  if (auto* v = take(fields, "project", shape.project, program)) {
    claim.project =
        read_project(*v, fields.pointer_of("project"), shape.project_period, program, problems);
  }
  if (auto* v = take(fields, "training", shape.training, program)) {
    claim.training = read_training(*v, fields.pointer_of("training"), problems);
  }
  if (auto* v = take(fields, "trainees", shape.trainees, program)) {
    claim.trainees = read_trainees(*v, fields.pointer_of("trainees"), problems);
  }
}

TraineeResult read_result(const json::value& value, std::string pointer, DuplicateIds& seen,
                          Problems& problems) {
  TraineeResult result;
  ObjectFields fields(value, std::move(pointer), problems);
  if (auto* v = fields.required("id_number")) {
    std::string id_pointer = fields.pointer_of("id_number");
    if (auto id = read_resident_id(*v, id_pointer, problems)) {
      result.id_number = *id;
      seen.check(*id, id_pointer, problems);
    }
  }
  if (auto* v = fields.required("passed")) {
    result.passed = read_bool(*v, fields.pointer_of("passed"), problems).value_or(false);
  }
  fields.finish();
  return result;
}

std::vector<TraineeResult> read_results(const json::value& value, const std::string& pointer,
                                        Problems& problems) {
  std::vector<TraineeResult> results;
  const json::array* array = read_array(value, pointer, 1, ClaimLimits::trainees_max, problems);
  if (!array) return results;
  DuplicateIds seen;
  for (std::size_t i = 0; i < array->size(); ++i) {
    results.push_back(read_result((*array)[i], pointer_append(pointer, i), seen, problems));
  }
  return results;
}

}  // namespace

std::variant<Claim, Problems> parse_claim(const json::value& document) {
  Problems problems;
  Claim claim;
  ObjectFields fields(document, "", problems);
  if (!fields.is_object()) return problems;
  std::optional<Program> program;
  if (auto* v = fields.required("program")) {
    program = read_enum<Program>(*v, fields.pointer_of("program"), "program", problems);
  }
  if (program) claim.program = *program;
  read_common(fields, claim, problems);
  read_program_parts(fields, program, claim, problems);
  fields.finish();
  if (!problems.empty()) {
    bound_problems(problems, claim_problems_max);
    return problems;
  }
  return claim;
}

std::variant<SettlementRequest, Problems> parse_settlement(const json::value& document) {
  Problems problems;
  SettlementRequest settlement;
  ObjectFields fields(document, "", problems);
  if (!fields.is_object()) return problems;
  if (auto* v = fields.required("settled_on")) {
    if (auto date = read_date(*v, fields.pointer_of("settled_on"), problems)) {
      settlement.settled_on = *date;
    }
  }
  if (auto* v = fields.required("results")) {
    settlement.results = read_results(*v, fields.pointer_of("results"), problems);
  }
  if (auto* v = fields.required("evidence")) {
    read_evidence(*v, fields.pointer_of("evidence"), settlement.evidence, settlement.evidence_kinds,
                  problems);
  }
  fields.finish();
  if (!problems.empty()) {
    bound_problems(problems, claim_problems_max);
    return problems;
  }
  return settlement;
}

}  // namespace subsidy
