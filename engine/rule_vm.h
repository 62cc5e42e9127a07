#pragma once
// Evaluates a compiled expression against an EvalContext. Pure and allocation-free, except that
// with ctx.collect_refs set, history functions append the seqs they relied on to *ctx.refs.
// Arithmetic overflow sets ctx.overflow and yields 0: the caller must then discard the result.

#include "engine/eval_context.h"
#include "engine/expr/program.h"

namespace subsidy {

expr::Value evaluate(const expr::Program& program, EvalContext& ctx);

}  // namespace subsidy
