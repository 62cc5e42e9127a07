#pragma once
// A loaded, compiled ruleset: the policy of one document as data (docs/rulesets.md). Parameters
// are dated series; rules are compiled expressions with their clause and messages. Immutable
// after load; decisions point into it, so it must outlive them.

#include "engine/calendar.h"
#include "engine/expr/program.h"
#include "engine/vocabulary.h"

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace subsidy {

// Where a rule or a value comes from in the source document.
struct ClauseRef {
  std::string clause;  // "二(三)1", "附件说明"
  std::string quote;   // the sentence it encodes, verbatim
};

struct ParameterValue {
  Date from;  // in force from this date until the next value's date
  expr::Value value = 0;
  ClauseRef source;
  std::string note;
};

// Credit-code registration types (first two characters) allowed for each entity type.
using RegistrationMap = std::array<std::vector<std::string>, entity_type_names.size()>;

struct Parameter {
  std::string name;  // "wft.rate"
  expr::Type type;
  std::string unit;  // "fen", "months", "percent", "" (informative)
  std::string description;
  std::vector<ParameterValue> values;  // ascending by `from`, at least one
  // Storage the values of list-typed parameters point into (stable addresses).
  std::deque<std::vector<std::string>> text_lists;
  std::deque<RegistrationMap> registration_maps;
};

enum class RuleEffect : std::uint8_t {
  reject,        // `require` false -> the line is rejected
  hold,          // `require` false -> the line is held for a clerk (needs_review)
  amount,        // `value` is the line's requested amount
  disbursement,  // `value` is the money this decision moves (e.g. the 50% advance)
  no_policy,     // names the reason for a line that no ruleset governs; no expression
  review_approved,  // names the reason on a held line a clerk approved at review; no expression
  review_rejected,  // names the reason on a held line a clerk rejected at review; no expression
};

enum class RulePhase : std::uint8_t { initial, settlement };
enum class DisbursementKind : std::uint8_t { payment, advance, remainder, recovery };
inline constexpr std::array<std::string_view, 4> disbursement_kind_names = {"payment", "advance", "remainder", "recovery"};
// A disbursement rule whose value is a settlement's final amount ("disbursement": "final" in the
// file); the engine pays the remainder or recovers the excess against what was disbursed.
inline constexpr DisbursementKind final_amount_kind = DisbursementKind::remainder;

struct MessageArg {
  std::string name;
  expr::Program program;
};

struct Rule {
  std::string id;  // stable: "wft.cap_months"
  ClauseRef source;
  std::string title;
  std::uint8_t programs_mask = 0;  // bit (1 << Program)
  RulePhase phase = RulePhase::initial;
  RuleEffect effect = RuleEffect::reject;
  DisbursementKind disbursement_kind = DisbursementKind::payment;
  std::optional<expr::Program> when;     // the rule applies only where this holds
  std::optional<expr::Program> require;  // reject/hold: what must hold for the line to pass
  // hold only: where this holds, a line the rule would hold is rejected instead (a parameter
  // that lets a bureau choose between the two, e.g. sys.category_unverified_effect).
  std::optional<expr::Program> reject_when;
  std::optional<expr::Program> value;    // amount/disbursement: fen
  std::string message;     // English, with {arg} placeholders
  std::string message_zh;  // Chinese, with the same placeholders
  std::vector<MessageArg> args;  // evaluated only when the rule fires; at most message_args_max
  std::string pointer;     // JSON Pointer of the rule in its file, for error messages
  // Set by Ruleset::index_for_evaluation: the rule's position in Ruleset::rules, and whether
  // whether it fires can depend on anything but the claim, its person and the parameters.
  std::uint16_t ordinal = 0;
  bool reads_line = true;
  bool reads_person = true;

  bool applies_to(Program p) const { return (programs_mask >> static_cast<unsigned>(p)) & 1u; }
};

inline constexpr std::size_t message_args_max = 4;
// The most rules one ruleset may hold (the loader refuses more; the evaluator sizes caches by it).
inline constexpr std::size_t ruleset_rules_max = 512;

// The rules that evaluate one program in one phase, in file order, split by effect.
struct ProgramRules {
  std::vector<const Rule*> rejects;
  std::vector<const Rule*> holds;
  const Rule* amount = nullptr;        // required for the initial phase
  const Rule* disbursement = nullptr;  // optional: without it the approved amount is paid
  // The reasons a review records (initial phase); a program without them cannot be reviewed.
  const Rule* review_approved = nullptr;
  const Rule* review_rejected = nullptr;
};

// Which task of the attachment a training counts toward (reports), by program and category.
struct TargetMapping {
  Program program = Program::work_for_training;
  Category category = Category::other;
  int task = 0;  // 1..22
};

struct Ruleset {
  std::string id;       // "hubin-2019"
  std::string version;  // "1.0.0"
  std::string title;
  std::string source_document;  // "三湖政办〔2019〕17号"
  std::string extends;          // id of the ruleset this one amends, or ""
  Date effective_from;
  Date effective_to;  // inclusive
  ClauseRef effective_source;
  std::string file_name;  // as given to the loader, for messages
  std::string text;       // the file's bytes, kept for the audit store
  std::string sha256;     // hex SHA-256 of `text`

  std::vector<Parameter> parameters;
  std::unordered_map<std::string, std::uint16_t> parameter_index;
  std::map<std::string, std::string> definitions;  // name -> expression source
  std::deque<Rule> rules;                          // stable addresses
  std::array<std::array<ProgramRules, 2>, program_names.size()> by_program;  // [program][phase]
  const Rule* no_policy = nullptr;
  std::vector<TargetMapping> targets;
  const Ruleset* base = nullptr;  // the ruleset this one extends, when it does

  // Every date on which some parameter changes value, ascending (index_for_evaluation).
  std::vector<Date> parameter_change_dates;

  bool in_force(Date d) const { return effective_from <= d && d <= effective_to; }
  // Two dates with the same epoch see the same value of every parameter.
  std::size_t parameter_epoch(Date on) const;
  // Fills parameter_change_dates and each rule's ordinal and dependencies; the loader calls it
  // once a ruleset has compiled.
  void index_for_evaluation();
  const ProgramRules& rules_for(Program p, RulePhase phase) const {
    return by_program[static_cast<std::size_t>(p)][static_cast<std::size_t>(phase)];
  }
  // The parameter's value in force on `on`. REQUIRES: on >= the parameter's first value date
  // (the loader checks every first value is on or before effective_from).
  expr::Value parameter_value(std::uint16_t index, Date on) const;
  const Parameter* find_parameter(std::string_view name) const;
};

}  // namespace subsidy
