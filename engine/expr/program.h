#pragma once
// A compiled rule expression: a flat array of typed nodes, children before parents, evaluated by
// engine/rule_vm.h. Compiled once when a ruleset loads; evaluating it allocates nothing.

#include "engine/expr/types.h"

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::expr {

enum class Op : std::uint8_t {
  constant,  // imm
  param,     // imm = parameter index; its value in force on the line's date
  // What the line, claim and history say (the evaluation context).
  claim_submitted_on, claim_program, claim_evidence,
  entity_type, entity_insured, entity_registration_type,
  person_categories, person_id_number, person_name,
  employment_start, employment_end,
  line_month, line_date, line_amount, approved_total,
  training_start, training_end,
  project_code, project_known, project_listed, project_standard_fen,
  institution_known, institution_listed,
  result_passed,
  // History functions: each records the seqs it relied on as refs.
  approved_months, month_paid, approved_program, overlapping_class, identity_consistent, within_budget,
  registered, certified, class_filing,
  // Pure functions.
  add_months, month_of, first_day, last_day, min, max, coalesce, is_null, percent_of,
  set_size, set_union, set_intersect, set_difference, set_is_empty, lookup, if_then_else,
  // Operators.
  logical_and, logical_or, logical_not, equal, not_equal, less, less_equal, greater, greater_equal,
  text_equal, text_not_equal, add, subtract, multiply, negate, fen_add, fen_subtract, fen_multiply,
  in_set, in_text_list,
};

inline constexpr std::uint16_t no_child = 0xffff;

struct Node {
  Op op = Op::constant;
  Type type;
  std::uint16_t a = no_child, b = no_child, c = no_child;  // children (node indices)
  Value imm = 0;
};

struct Program {
  std::vector<Node> nodes;  // nodes[root] is the whole expression
  std::uint16_t root = 0;
  Type type;
  std::string source;
  // Whether the value can differ between two lines of one claim that share a ruleset and the
  // same parameter values: it reads the line, this decision's progress, the line's catalogue
  // entries, or the line's person (a class's trainees differ line by line).
  bool reads_line = false;
  bool reads_person = false;
  // Storage that text constants point into; deques keep addresses stable.
  std::deque<std::string> strings;
  std::deque<std::string_view> string_views;
  std::deque<std::vector<std::string>> text_lists;
};

// The most nodes one expression may compile to (definitions inlined).
inline constexpr std::size_t program_nodes_max = 2048;

}  // namespace subsidy::expr
