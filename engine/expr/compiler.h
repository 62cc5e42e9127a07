#pragma once
// Compiles a rule expression (docs/expressions.md) into a typed Program. Everything that can be
// wrong with an expression is found here, at load: syntax, unknown names, type mismatches,
// names not available to the programs a rule applies to, unknown enum values in string literals.

#include "engine/expr/program.h"
#include "engine/expr/types.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace subsidy::expr {

struct ParamInfo {
  std::uint16_t index = 0;
  Type type;
};

// Where the expression is used: which names it may read.
struct CompileEnv {
  std::function<std::optional<ParamInfo>(std::string_view name)> find_param;
  // Source text of a named definition, or nullptr.
  std::function<const std::string*(std::string_view name)> find_definition;
  std::uint8_t programs_mask = 0;  // bit (1 << Program) for each program the rule applies to
  bool settlement_phase = false;
};

struct CompileError {
  std::size_t column = 1;   // in the expression itself, or in the definition named below
  std::string definition;   // "" when the error is in the expression itself
  std::string message;
  std::string to_string() const;
};

std::variant<Program, CompileError> compile(std::string_view source, const CompileEnv& env);

// The nesting depth beyond which an expression is refused (bounds the evaluator's recursion).
inline constexpr std::size_t expression_depth_max = 64;

}  // namespace subsidy::expr
