#pragma once
// The names an expression can use: context values (claim.submitted_on, line.month, ...) and
// functions with a fixed signature (add_months, approved_months, ...). Generic functions (min,
// max, coalesce, if, set operations) and param/date/month are typed by the compiler itself.

#include "engine/expr/program.h"
#include "engine/expr/types.h"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace subsidy::expr {

// Bits of CompileEnv::programs_mask.
inline constexpr std::uint8_t for_wft = 1;      // work_for_training
inline constexpr std::uint8_t for_prejob = 2;   // pre_job_training
inline constexpr std::uint8_t for_project = 4;  // project_training
inline constexpr std::uint8_t for_all = 7;

enum class Phase : std::uint8_t { any, settlement_only };

struct ContextName {
  std::string_view name;
  Op op;
  Type type;
  std::uint8_t programs;  // the programs whose claims carry this value
  Phase phase = Phase::any;
  std::string_view doc;
};

struct FunctionSignature {
  std::string_view name;
  Op op;
  std::uint8_t arity;
  std::array<BaseType, 2> args;
  Type result;
  std::uint8_t programs;
  std::string_view doc;
};

std::span<const ContextName> context_names();
std::span<const FunctionSignature> fixed_functions();

}  // namespace subsidy::expr
