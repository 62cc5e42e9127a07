// The rule expression language: what compiles, what is refused at load (with its column), and
// what pure expressions evaluate to.
#include "engine/expr/compiler.h"
#include "engine/rule_vm.h"

#include <doctest/doctest.h>

#include <map>
#include <variant>

using namespace subsidy;
using namespace subsidy::expr;

namespace {

struct Env {
  std::map<std::string, std::string, std::less<>> definitions;
  std::uint8_t programs = 1;  // work_for_training
  bool settlement = false;

  CompileEnv get() const {
    CompileEnv env;
    env.find_param = [](std::string_view name) -> std::optional<ParamInfo> {
      if (name == "rate") return ParamInfo{0, Type{BaseType::fen}};
      if (name == "cap") return ParamInfo{1, Type{BaseType::integer}};
      return std::nullopt;
    };
    env.find_definition = [this](std::string_view name) -> const std::string* {
      auto it = definitions.find(name);
      return it == definitions.end() ? nullptr : &it->second;
    };
    env.programs_mask = programs;
    env.settlement_phase = settlement;
    return env;
  }
};

CompileError error_of(std::string_view source, const Env& env = {}) {
  auto result = compile(source, env.get());
  REQUIRE_MESSAGE(std::holds_alternative<CompileError>(result), "expected an error for: " << source);
  return std::get<CompileError>(result);
}

expr::Program program_of(std::string_view source, const Env& env = {}) {
  auto result = compile(source, env.get());
  if (auto* e = std::get_if<CompileError>(&result)) FAIL("unexpected error: " << e->to_string());
  return std::move(std::get<expr::Program>(result));
}

Value run(std::string_view source, bool* overflowed = nullptr) {
  expr::Program p = program_of(source);
  Claim claim;
  EvalContext ctx;
  ctx.claim = &claim;
  Value v = evaluate(p, ctx);
  if (overflowed) *overflowed = ctx.overflow;
  else CHECK_FALSE(ctx.overflow);
  return v;
}

}  // namespace

TEST_CASE("expressions type-check at compile time") {
  CHECK(program_of("claim.submitted_on <= date('2020-01-01')").type.base == BaseType::boolean);
  CHECK(program_of("param('rate') * 6").type.base == BaseType::fen);
  CHECK(program_of("6 * param('rate')").type.base == BaseType::fen);
  CHECK(program_of("'poor_laborer' in person.categories").type.base == BaseType::boolean);
  CHECK(program_of("entity.type in ['enterprise', 'poverty_workshop']").type.base == BaseType::boolean);
  CHECK(program_of("coalesce(employment.end, claim.submitted_on)").type == Type{BaseType::date, false});
  CHECK(program_of("difference(['roster', 'wage_records'], claim.evidence)").type.base == BaseType::evidence_kind_set);
}

TEST_CASE("compile errors name the column and the problem") {
  auto e = error_of("claim.submitted_on <= 5");
  CHECK(e.column == 20);
  CHECK(e.message.find("cannot compare date") != std::string::npos);

  e = error_of("aproved_months('person') < 6");
  CHECK(e.column == 1);
  CHECK(e.message == "unknown function 'aproved_months'");

  e = error_of("param('rat') > param('rate')");
  CHECK(e.message == "unknown parameter 'rat'");

  e = error_of("entity.type == 'enterprize'");
  CHECK(e.message.find("'enterprize' is not a known entity type") != std::string::npos);

  e = error_of("employment.end > claim.submitted_on");
  CHECK(e.message.find("null") != std::string::npos);

  e = error_of("param('rate') + 1");
  CHECK(e.message.find("cannot combine fen and int") != std::string::npos);

  e = error_of("(1 < 2");
  CHECK(e.column == 7);

  e = error_of("1 < 2 3");
  CHECK(e.message.find("unexpected") != std::string::npos);

  e = error_of("'unterminated");
  CHECK(e.message == "string is not closed");
}

TEST_CASE("names are checked against the programs a rule applies to") {
  Env project;
  project.programs = 4;  // project_training
  CHECK(error_of("line.month > month('2020-01')", project).message.find("not available") != std::string::npos);
  CHECK(error_of("approved_months('person') < 6", project).message.find("not available") != std::string::npos);
  CHECK(error_of("result.passed", project).message.find("settlement") != std::string::npos);
  project.settlement = true;
  CHECK(program_of("result.passed", project).type.base == BaseType::boolean);
}

TEST_CASE("definitions inline, and errors inside them name the definition") {
  Env env;
  env.definitions["started"] = "employment.start <= claim.submitted_on";
  env.definitions["broken"] = "employment.start <= 3";
  env.definitions["loop"] = "loop and true";
  CHECK(program_of("started and true", env).type.base == BaseType::boolean);
  auto e = error_of("broken", env);
  CHECK(e.definition == "broken");
  CHECK(e.column == 18);
  CHECK(error_of("loop", env).message.find("refers to itself") != std::string::npos);
}

TEST_CASE("a bare list has no type until something gives it one") {
  CHECK(error_of("size(union(['roster'], ['attendance']))").message.find("two sets") != std::string::npos);
}

TEST_CASE("limits: deep nesting and huge expressions are refused, not crashed on") {
  std::string deep(2000, '(');
  deep += "true";
  deep += std::string(2000, ')');
  CHECK(error_of(deep).message.find("nested too deeply") != std::string::npos);
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  CHECK(error_of(nots + "true").message.find("too") != std::string::npos);
  CHECK(error_of(std::string(5000, '1')).message.find("longer than") != std::string::npos);
}

TEST_CASE("pure expressions evaluate") {
  CHECK(run("1 + 2 * 3") == 7);
  CHECK(run("-(2 - 5)") == 3);
  bool overflowed = false;
  run("9223372036854775807 + 1 > 0", &overflowed);
  CHECK(overflowed);  // the caller must discard the evaluation, never use a wrapped value
  run("9223372036854775807 + 0 > 0", &overflowed);
  CHECK_FALSE(overflowed);
  CHECK(run("add_months(date('2019-08-31'), 6) == date('2020-02-29')") == 1);
  CHECK(run("add_months(date('2020-02-01'), 6) <= date('2020-07-31')") == 0);
  CHECK(run("month_of(date('2020-02-15')) == month('2020-02')") == 1);
  CHECK(run("last_day(month('2019-09')) == date('2019-09-30')") == 1);
  CHECK(run("max(month('2020-01'), month('2019-12')) == month('2020-01')") == 1);
  CHECK(run("size(union(['roster', 'attendance'], claim.evidence))") == 2);
  CHECK(run("is_empty(difference(['roster'], claim.evidence))") == 0);
  CHECK(run("is_empty(intersect(['roster'], claim.evidence))") == 1);
  CHECK(run("if(1 > 2, 10, 20)") == 20);
  CHECK(run("true and not false or false") == 1);
}
