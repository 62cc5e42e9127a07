#include "engine/ruleset_loader_document.h"

#include <algorithm>
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "engine/json_fields.h"
#include "engine/ruleset_loader_parameters.h"
#include "engine/ruleset_loader_rules.h"

namespace subsidy::ruleset_loader {
namespace {

namespace json = boost::json;

std::string read_text_or_empty(const json::value* value, const std::string& pointer, std::size_t bytes_max,
                               Problems& problems) {
  if (!value) return "";
  auto text = read_text_bytes(*value, pointer, bytes_max, problems);
  return text ? std::string(*text) : std::string();
}

void read_notes(const json::value& value, const std::string& pointer, Problems& problems) {
  const json::array* notes = read_array(value, pointer, 0, notes_max, problems);
  if (!notes) return;
  for (std::size_t i = 0; i < notes->size(); ++i) {
    read_text_bytes((*notes)[i], pointer_append(pointer, i), text_bytes_max, problems);
  }
}

void read_identity(ObjectFields& top, Ruleset& rs, Problems& problems) {
  if (const json::value* schema = top.optional("$schema")) read_string(*schema, top.pointer_of("$schema"), problems);
  if (const json::value* notes = top.optional("notes")) read_notes(*notes, top.pointer_of("notes"), problems);
  const json::value* id = top.required("id");
  if (auto text = id ? read_string(*id, top.pointer_of("id"), problems) : std::nullopt) {
    if (text->size() > ruleset_id_chars_max || !is_lower_digit_name(*text, "-")) {
      add_problem(problems, top.pointer_of("id"),
                  "a ruleset id is 1-" + std::to_string(ruleset_id_chars_max) +
                      " characters of a-z 0-9 -, like \"hubin-2019\"");
    } else {
      rs.id = std::string(*text);
    }
  }
  rs.version = read_text_or_empty(top.required("version"), top.pointer_of("version"), short_text_bytes_max, problems);
  rs.title = read_text_or_empty(top.required("title"), top.pointer_of("title"), text_bytes_max, problems);
  rs.source_document =
      read_text_or_empty(top.required("source_document"), top.pointer_of("source_document"), text_bytes_max, problems);
  if (const json::value* extends = top.optional("extends")) {
    if (auto text = read_string(*extends, top.pointer_of("extends"), problems)) rs.extends = std::string(*text);
  }
}

// {from, to, clause, quote}: the range of dates the ruleset governs, inclusive.
bool read_effective(const json::value& value, const std::string& pointer, Ruleset& rs, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  const json::value* from = fields.required("from");
  const json::value* to = fields.required("to");
  rs.effective_source.clause =
      read_text_or_empty(fields.required("clause"), fields.pointer_of("clause"), text_bytes_max, problems);
  rs.effective_source.quote =
      read_text_or_empty(fields.required("quote"), fields.pointer_of("quote"), text_bytes_max, problems);
  fields.finish();
  auto from_date = from ? read_date(*from, fields.pointer_of("from"), problems) : std::nullopt;
  auto to_date = to ? read_date(*to, fields.pointer_of("to"), problems) : std::nullopt;
  if (!from_date || !to_date) return false;
  if (*to_date < *from_date) {
    add_problem(problems, fields.pointer_of("to"), "must be on or after from (" + format_date(*from_date) + ")");
    return false;
  }
  rs.effective_from = *from_date;
  rs.effective_to = *to_date;
  return true;
}

std::optional<TargetMapping> read_mapping(const json::value& value, const std::string& pointer, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  const json::value* program = fields.required("program");
  const json::value* category = fields.required("category");
  const json::value* task = fields.required("task");
  fields.finish();
  auto p = program ? read_enum<Program>(*program, fields.pointer_of("program"), "program", problems) : std::nullopt;
  auto c =
      category ? read_enum<Category>(*category, fields.pointer_of("category"), "category", problems) : std::nullopt;
  std::optional<int> t;
  if (task && task->is_int64() && task->get_int64() >= target_task_min && task->get_int64() <= target_task_max) {
    t = static_cast<int>(task->get_int64());
  } else if (task) {
    add_problem(
        problems, fields.pointer_of("task"),
        "must be a task number from " + std::to_string(target_task_min) + " to " + std::to_string(target_task_max));
  }
  if (!p || !c || !t) return std::nullopt;
  return TargetMapping{*p, *c, *t};
}

// {tasks_file, mapping: [{program, category, task}]}: which attachment task a training counts toward.
void read_targets(const json::value& value, const std::string& pointer, Ruleset& rs, Problems& problems) {
  ObjectFields fields(value, pointer, problems);
  read_text_or_empty(fields.required("tasks_file"), fields.pointer_of("tasks_file"), short_text_bytes_max, problems);
  const json::value* mapping = fields.required("mapping");
  fields.finish();
  const json::array* items =
      mapping ? read_array(*mapping, fields.pointer_of("mapping"), 0, target_mappings_max, problems) : nullptr;
  if (!items) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string item_pointer = pointer_append(fields.pointer_of("mapping"), i);
    auto m = read_mapping((*items)[i], item_pointer, problems);
    if (!m) continue;
    bool twice = std::any_of(rs.targets.begin(), rs.targets.end(), [&](const TargetMapping& t) {
      return t.program == m->program && t.category == m->category;
    });
    if (twice)
      add_problem(problems, item_pointer, "this program and category are already mapped to a task");
    else
      rs.targets.push_back(*m);
  }
}

}  // namespace

void read_document(const json::value& document, Ruleset& rs, ErrorSink& sink) {
  Problems& problems = sink.problems();
  ObjectFields top(document, "", problems);
  if (!top.is_object()) {
    sink.flush();
    return;
  }
  read_identity(top, rs, problems);
  const json::value* effective = top.required("effective");
  bool dated = effective && read_effective(*effective, top.pointer_of("effective"), rs, problems);
  const json::value* parameters = top.required("parameters");
  const json::value* definitions = top.required("definitions");
  const json::value* rules = top.required("rules");
  const json::value* targets = top.optional("targets");
  top.finish();
  sink.flush();
  if (parameters)
    read_parameters(*parameters, "/parameters", dated ? std::optional<Date>(rs.effective_from) : std::nullopt, rs,
                    sink);
  if (definitions) read_definitions(*definitions, "/definitions", rs, sink);
  if (rules) read_rules(*rules, "/rules", rs, sink);
  if (targets) read_targets(*targets, "/targets", rs, problems);
  sink.flush();
}

}  // namespace subsidy::ruleset_loader
