#include "engine/ruleset_loader_rules.h"

#include <algorithm>
#include <array>
#include <bit>
#include <boost/json/object.hpp>
#include <cassert>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/expr/compiler.h"
#include "engine/expr/lexer.h"
#include "engine/json_fields.h"

namespace subsidy::ruleset_loader {
namespace {

namespace json = boost::json;
using expr::BaseType;
using expr::Type;

constexpr std::array<std::string_view, 7> effect_names = {"reject",    "hold",            "amount",         "disbursement",
                                                          "no_policy", "review_approved", "review_rejected"};
constexpr std::array<std::string_view, 2> phase_names = {"initial", "settlement"};
// A file names only these. "final" is a settlement's final amount: the engine turns it into a
// remainder or a recovery against what was already disbursed (ruleset.h: final_amount_kind).
constexpr std::array<std::string_view, 3> file_disbursement_names = {"payment", "advance", "final"};
static_assert(file_disbursement_names[0] == disbursement_kind_names[0] &&
              file_disbursement_names[1] == disbursement_kind_names[1]);

std::string_view key_of(const json::key_value_pair& member) { return {member.key().data(), member.key().size()}; }

template <std::size_t N>
std::optional<std::size_t> read_name(const json::value& value, const std::string& pointer, std::string_view what,
                                     const std::array<std::string_view, N>& names, Problems& problems) {
  auto text = read_string(value, pointer, problems);
  if (!text) return std::nullopt;
  auto it = std::find(names.begin(), names.end(), *text);
  if (it != names.end()) return static_cast<std::size_t>(it - names.begin());
  add_problem(problems, pointer, unknown_name_message(what, *text, names.data(), names.size()));
  return std::nullopt;
}

std::optional<std::string> read_text(const json::value* value, const std::string& pointer, Problems& problems) {
  if (!value) return std::nullopt;
  auto text = read_text_bytes(*value, pointer, text_bytes_max, problems);
  return text ? std::optional<std::string>(*text) : std::nullopt;
}

// The members of a rule object that hold expressions, taken but not yet compiled.
struct Expressions {
  const json::value* when = nullptr;
  const json::value* require = nullptr;
  const json::value* reject_when = nullptr;
  const json::value* value = nullptr;
  const json::value* args = nullptr;
};

// ---- header: id, programs, phase, effect, disbursement, clause, quote, title, messages ----

std::string id_for_messages(const json::value& rule) {
  const json::object* object = rule.if_object();
  const json::value* id = object ? object->if_contains("id") : nullptr;
  return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

std::optional<std::uint8_t> read_programs(const json::value& value, const std::string& pointer, Problems& problems) {
  const json::array* items = read_array(value, pointer, 1, program_names.size(), problems);
  if (!items) return std::nullopt;
  std::uint8_t mask = 0;
  bool ok = true;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string item_pointer = pointer_append(pointer, i);
    auto program = read_enum<Program>((*items)[i], item_pointer, "program", problems);
    if (!program) {
      ok = false;
      continue;
    }
    auto bit = static_cast<std::uint8_t>(1u << static_cast<unsigned>(*program));
    if (mask & bit) {
      add_problem(problems, item_pointer, "is listed twice");
      ok = false;
    }
    mask = static_cast<std::uint8_t>(mask | bit);
  }
  return ok ? std::optional<std::uint8_t>(mask) : std::nullopt;
}

// Reads what identifies the rule and what it says. False when the rule cannot be indexed (no
// valid id, programs or effect); the other members' problems are reported but do not stop it.
bool read_header(ObjectFields& fields, Rule& rule, Problems& problems) {
  const json::value* id = fields.required("id");
  const json::value* programs = fields.required("programs");
  const json::value* phase = fields.optional("phase");
  const json::value* effect = fields.required("effect");
  const json::value* disbursement = fields.optional("disbursement");
  auto id_text = id ? read_string(*id, fields.pointer_of("id"), problems) : std::nullopt;
  if (id_text && !is_rule_id(*id_text)) {
    add_problem(problems, fields.pointer_of("id"),
                "a rule id is lowercase words joined by '.' (^[a-z]+(\\.[a-z0-9_]+)+$), like \"wft.cap_months\"");
  }
  auto mask = programs ? read_programs(*programs, fields.pointer_of("programs"), problems) : std::nullopt;
  auto phase_index =
      phase ? read_name(*phase, fields.pointer_of("phase"), "phase", phase_names, problems) : std::size_t{0};
  auto effect_index =
      effect ? read_name(*effect, fields.pointer_of("effect"), "effect", effect_names, problems) : std::nullopt;
  if (!id_text || !is_rule_id(*id_text) || !mask || !phase_index || !effect_index) return false;
  rule.id = std::string(*id_text);
  rule.programs_mask = *mask;
  rule.phase = static_cast<RulePhase>(*phase_index);
  rule.effect = static_cast<RuleEffect>(*effect_index);
  if (disbursement && rule.effect != RuleEffect::disbursement) {
    add_problem(problems, fields.pointer_of("disbursement"), "is allowed only in a disbursement rule");
  } else if (disbursement) {
    auto kind =
        read_name(*disbursement, fields.pointer_of("disbursement"), "disbursement", file_disbursement_names, problems);
    if (kind) rule.disbursement_kind = *kind == 2 ? final_amount_kind : static_cast<DisbursementKind>(*kind);
  }
  return true;
}

void read_texts(ObjectFields& fields, Rule& rule, Problems& problems) {
  const json::value* clause = fields.required("clause");
  const json::value* quote = fields.required("quote");
  const json::value* title = fields.optional("title");
  const json::value* message = fields.required("message");
  const json::value* message_zh = fields.required("message_zh");
  rule.source.clause = read_text(clause, fields.pointer_of("clause"), problems).value_or("");
  rule.source.quote = read_text(quote, fields.pointer_of("quote"), problems).value_or("");
  rule.title = read_text(title, fields.pointer_of("title"), problems).value_or("");
  rule.message = read_text(message, fields.pointer_of("message"), problems).value_or("");
  rule.message_zh = read_text(message_zh, fields.pointer_of("message_zh"), problems).value_or("");
}

// Which expressions each effect takes: reject and hold test `require` (where `when` holds);
// amount and disbursement compute `value`; no_policy and the review effects only name a reason.
void check_members(const Rule& rule, const Expressions& e, ObjectFields& fields, Problems& problems) {
  std::string effect(effect_names[static_cast<std::size_t>(rule.effect)]);
  bool tests = rule.effect == RuleEffect::reject || rule.effect == RuleEffect::hold;
  bool computes = rule.effect == RuleEffect::amount || rule.effect == RuleEffect::disbursement;
  if (tests && !e.require) add_problem(problems, fields.pointer_of("require"), "is required in a " + effect + " rule");
  if (computes && !e.value) add_problem(problems, fields.pointer_of("value"), "is required in a " + effect + " rule");
  if (!tests && e.require)
    add_problem(problems, fields.pointer_of("require"), "is allowed only in reject and hold rules");
  if (!computes && e.value)
    add_problem(problems, fields.pointer_of("value"), "is allowed only in amount and disbursement rules");
  if (rule.effect != RuleEffect::hold && e.reject_when)
    add_problem(problems, fields.pointer_of("reject_when"), "is allowed only in hold rules");
  if (!tests && e.when) {
    add_problem(problems, fields.pointer_of("when"),
                "is allowed only in reject and hold rules (an " + effect + " rule always applies)");
  }
}

// ---- expressions ----

expr::CompileEnv compile_env(const Ruleset& rs, const Rule& rule) {
  expr::CompileEnv env;
  env.find_param = [&rs](std::string_view name) -> std::optional<expr::ParamInfo> {
    auto it = rs.parameter_index.find(std::string(name));
    if (it == rs.parameter_index.end()) return std::nullopt;
    return expr::ParamInfo{it->second, rs.parameters[it->second].type};
  };
  env.find_definition = [&rs](std::string_view name) -> const std::string* {
    auto it = rs.definitions.find(std::string(name));
    return it == rs.definitions.end() ? nullptr : &it->second;
  };
  env.programs_mask = rule.programs_mask;
  env.settlement_phase = rule.phase == RulePhase::settlement;
  return env;
}

// Compiles the expression at `pointer`; `want`, when given, is the type it must have.
std::optional<expr::Program> compile_at(const json::value& value, const std::string& pointer,
                                        const expr::CompileEnv& env, std::optional<Type> want, ErrorSink& sink) {
  auto source = read_string(value, pointer, sink.problems());
  if (!source) return std::nullopt;
  auto result = expr::compile(*source, env);
  if (auto* error = std::get_if<expr::CompileError>(&result)) {
    std::string message =
        error->definition.empty() ? error->message : "in definition '" + error->definition + "': " + error->message;
    sink.add(pointer, std::move(message), error->column);
    return std::nullopt;
  }
  auto& program = std::get<expr::Program>(result);
  if (want && program.type != *want) {
    sink.add(pointer, "must be " + expr::type_name(*want) + ", not " + expr::type_name(program.type), 1);
    return std::nullopt;
  }
  return std::move(program);
}

bool printable_arg(Type t) {
  return t.base != BaseType::text && t.base != BaseType::text_list && t.base != BaseType::literal_list &&
         t.base != BaseType::registration_map;
}

bool reads_parameters(const expr::Program& program) {
  return std::any_of(program.nodes.begin(), program.nodes.end(),
                     [](const expr::Node& n) { return n.op == expr::Op::param; });
}

void compile_args(const json::value& value, const std::string& pointer, const expr::CompileEnv& env, Rule& rule,
                  ErrorSink& sink) {
  const json::object* object = value.if_object();
  if (!object || object->size() > message_args_max) {
    sink.add(pointer, "must be an object of at most " + std::to_string(message_args_max) +
                          " message arguments (name -> expression)");
    return;
  }
  for (const auto& member : *object) {
    std::string arg_pointer = pointer_append(pointer, key_of(member));
    if (!is_identifier(key_of(member))) sink.add(arg_pointer, "an argument name is [a-z][a-z0-9_]*");
    auto program = compile_at(member.value(), arg_pointer, env, std::nullopt, sink);
    if (!program) continue;
    if (!printable_arg(program->type)) {
      sink.add(arg_pointer,
               "a message argument cannot be " + expr::type_name(program->type) +
                   " (texts such as names and ID numbers stay out of messages)",
               1);
      continue;
    }
    if (rule.effect == RuleEffect::no_policy && reads_parameters(*program)) {
      sink.add(arg_pointer,
               "a no_policy rule's arguments cannot use param(): they are evaluated on dates the ruleset "
               "does not govern, where its parameters have no value",
               1);
      continue;
    }
    rule.args.push_back(MessageArg{std::string(key_of(member)), std::move(*program)});
  }
}

void compile_rule(const Expressions& e, const std::string& pointer, const Ruleset& rs, Rule& rule, ErrorSink& sink) {
  expr::CompileEnv env = compile_env(rs, rule);
  const Type boolean{BaseType::boolean};
  if (e.when) rule.when = compile_at(*e.when, pointer_append(pointer, "when"), env, boolean, sink);
  if (e.require) rule.require = compile_at(*e.require, pointer_append(pointer, "require"), env, boolean, sink);
  if (e.reject_when && rule.effect == RuleEffect::hold)
    rule.reject_when = compile_at(*e.reject_when, pointer_append(pointer, "reject_when"), env, boolean, sink);
  if (e.value) rule.value = compile_at(*e.value, pointer_append(pointer, "value"), env, Type{BaseType::fen}, sink);
  if (e.args) compile_args(*e.args, pointer_append(pointer, "args"), env, rule, sink);
}

// ---- messages ----

// The {name} placeholders of `text`, or "" and an error message.
std::vector<std::string> placeholders(std::string_view text, std::string& error) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      error = "has a '}' without a '{'";
      return {};
    }
    if (text[i] != '{') continue;
    std::size_t close = text.find('}', i);
    std::string_view name = close == std::string_view::npos ? std::string_view() : text.substr(i + 1, close - i - 1);
    if (!is_identifier(name)) {
      error = "has a '{' that does not start a placeholder {name}";
      return {};
    }
    names.emplace_back(name);
    i = close;
  }
  return names;
}

void check_placeholders(const json::value* args, const std::string& pointer, const Rule& rule, ErrorSink& sink) {
  const json::object* declared = args ? args->if_object() : nullptr;
  std::vector<std::string> used;
  for (auto [text, member] : {std::pair{&rule.message, "message"}, std::pair{&rule.message_zh, "message_zh"}}) {
    std::string error;
    std::vector<std::string> names = placeholders(*text, error);
    if (!error.empty()) sink.add(pointer_append(pointer, member), std::move(error));
    for (const std::string& name : names) {
      if (!declared || !declared->contains(name)) {
        sink.add(pointer_append(pointer, member), "placeholder {" + name + "} names no argument in args");
      }
      used.push_back(name);
    }
  }
  if (!declared) return;
  for (const auto& member : *declared) {
    if (std::find(used.begin(), used.end(), key_of(member)) == used.end()) {
      sink.add(pointer_append(pointer_append(pointer, "args"), key_of(member)),
               "argument is used in neither message nor message_zh");
    }
  }
}

// Reads one rule into rs.rules; false when it could not be indexed at all.
bool read_rule(const json::value& value, const std::string& pointer, Ruleset& rs, ErrorSink& sink) {
  sink.set_rule(id_for_messages(value));
  Problems& problems = sink.problems();
  ObjectFields fields(value, pointer, problems);
  Rule& rule = rs.rules.emplace_back();
  rule.pointer = sink.original_pointer(pointer);
  bool indexed = read_header(fields, rule, problems);
  read_texts(fields, rule, problems);
  Expressions e{fields.optional("when"), fields.optional("require"), fields.optional("reject_when"),
                fields.optional("value"), fields.optional("args")};
  fields.finish();
  if (indexed) {
    check_members(rule, e, fields, problems);
    compile_rule(e, pointer, rs, rule, sink);
  }
  check_placeholders(e.args, pointer, rule, sink);
  if (!indexed) rs.rules.pop_back();
  return indexed;
}

// ---- the set of rules ----

std::string programs_text(std::uint8_t mask) {
  std::string out;
  for (std::size_t p = 0; p < program_names.size(); ++p) {
    if (!((mask >> p) & 1u)) continue;
    out += (out.empty() ? "" : ", ") + std::string(program_names[p]);
  }
  return out;
}

// The same id names one rule of the policy; it may repeat only to state it per program.
void check_ids(const Ruleset& rs, const std::vector<std::string>& pointers, ErrorSink& sink) {
  for (std::size_t j = 0; j < rs.rules.size(); ++j) {
    for (std::size_t i = 0; i < j; ++i) {
      const Rule& a = rs.rules[i];
      const Rule& b = rs.rules[j];
      auto common = static_cast<std::uint8_t>(a.programs_mask & b.programs_mask);
      if (a.id != b.id || common == 0) continue;
      sink.set_rule(b.id);
      sink.add(pointer_append(pointers[j], "programs"), "rule id " + b.id + " is already used at " + a.pointer +
                                                            " for " + programs_text(common) +
                                                            "; an id may repeat only for other programs");
      break;
    }
  }
}

void place(const Rule*& slot, const Rule& rule, const std::string& pointer, Program p, ErrorSink& sink) {
  if (slot == nullptr) {
    slot = &rule;
    return;
  }
  sink.set_rule(rule.id);
  sink.add(pointer_append(pointer, "effect"),
           "a second " + std::string(effect_names[static_cast<std::size_t>(rule.effect)]) + " rule for " +
               std::string(name_of(p)) + " in the " + std::string(phase_names[static_cast<std::size_t>(rule.phase)]) +
               " phase: " + slot->id + " at " + slot->pointer + " is the first");
}

void index_rule(Ruleset& rs, const Rule& rule, const std::string& pointer, ErrorSink& sink) {
  for (std::size_t p = 0; p < program_names.size(); ++p) {
    if (!rule.applies_to(static_cast<Program>(p))) continue;
    ProgramRules& slot = rs.by_program[p][static_cast<std::size_t>(rule.phase)];
    switch (rule.effect) {
      case RuleEffect::reject:
        slot.rejects.push_back(&rule);
        break;
      case RuleEffect::hold:
        slot.holds.push_back(&rule);
        break;
      case RuleEffect::amount:
        place(slot.amount, rule, pointer, static_cast<Program>(p), sink);
        break;
      case RuleEffect::disbursement:
        place(slot.disbursement, rule, pointer, static_cast<Program>(p), sink);
        break;
      case RuleEffect::review_approved:
        place(slot.review_approved, rule, pointer, static_cast<Program>(p), sink);
        break;
      case RuleEffect::review_rejected:
        place(slot.review_rejected, rule, pointer, static_cast<Program>(p), sink);
        break;
      case RuleEffect::no_policy:
        break;
    }
  }
}

void index_rules(Ruleset& rs, const std::vector<std::string>& pointers, const std::string& pointer, ErrorSink& sink) {
  std::uint8_t mentioned = 0;
  for (std::size_t i = 0; i < rs.rules.size(); ++i) {
    const Rule& rule = rs.rules[i];
    if (rule.effect == RuleEffect::no_policy) {
      if (rs.no_policy != nullptr) {
        sink.set_rule(rule.id);
        sink.add(pointer_append(pointers[i], "effect"), "a second no_policy rule: " + rs.no_policy->id + " at " +
                                                            rs.no_policy->pointer +
                                                            " is the first, and a ruleset has one");
      }
      if (rs.no_policy == nullptr) rs.no_policy = &rule;
      continue;
    }
    mentioned = static_cast<std::uint8_t>(mentioned | rule.programs_mask);
    index_rule(rs, rule, pointers[i], sink);
  }
  sink.set_rule("");
  if (rs.no_policy == nullptr) {
    sink.add(pointer, "needs exactly one no_policy rule (the reason given for a line that no ruleset governs)");
  }
  for (std::size_t p = 0; p < program_names.size(); ++p) {
    if (((mentioned >> p) & 1u) && rs.by_program[p][0].amount == nullptr) {
      sink.add(pointer, "no amount rule for " + std::string(program_names[p]) +
                            " in the initial phase: every program the rules name needs exactly one");
    }
  }
}

}  // namespace

void read_definitions(const json::value& value, const std::string& pointer, Ruleset& rs, ErrorSink& sink) {
  sink.set_rule("");
  const json::object* object = value.if_object();
  if (!object || object->size() > definitions_max) {
    sink.add(pointer,
             "must be an object of at most " + std::to_string(definitions_max) + " definitions (name -> expression)");
    return;
  }
  for (const auto& member : *object) {
    std::string member_pointer = pointer_append(pointer, key_of(member));
    if (!is_identifier(key_of(member))) sink.add(member_pointer, "a definition name is [a-z][a-z0-9_]*");
    auto text = read_string(member.value(), member_pointer, sink.problems());
    if (text && text->size() > expr::expression_chars_max) {
      sink.add(member_pointer, "is longer than " + std::to_string(expr::expression_chars_max) + " characters");
    } else if (text) {
      rs.definitions.emplace(std::string(key_of(member)), std::string(*text));
    }
  }
  sink.flush();
}

void read_rules(const json::value& value, const std::string& pointer, Ruleset& rs, ErrorSink& sink) {
  assert(rs.rules.empty());
  const json::array* items = read_array(value, pointer, 1, rules_max, sink.problems());
  sink.flush();
  if (!items) return;
  std::vector<std::string> pointers;  // of each indexed rule, in this document
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string rule_pointer = pointer_append(pointer, i);
    if (read_rule((*items)[i], rule_pointer, rs, sink)) pointers.push_back(rule_pointer);
  }
  sink.flush();
  check_ids(rs, pointers, sink);
  index_rules(rs, pointers, pointer, sink);
  sink.set_rule("");
}

}  // namespace subsidy::ruleset_loader
