#include "engine/expr/compiler.h"

#include "engine/calendar.h"
#include "engine/expr/builtins.h"
#include "engine/expr/lexer.h"

#include <algorithm>
#include <optional>

namespace subsidy::expr {

std::string CompileError::to_string() const {
  std::string out;
  if (!definition.empty()) out += "in definition '" + definition + "': ";
  out += "column " + std::to_string(column) + ": " + message;
  return out;
}

namespace {

using B = BaseType;
constexpr int fail = -1;

class Compiler {
 public:
  Compiler(const CompileEnv& env, Program& out) : env_(env), out_(out) {}

  // Compiles `source` into out_ and returns its root node, or fail with error_ set.
  int compile_source(std::string_view source) {
    LexError lex_error;
    std::vector<Token> tokens = tokenize(source, lex_error);
    if (tokens.empty()) return error_at(lex_error.column, lex_error.message);
    std::swap(tokens_, tokens);
    std::size_t saved_pos = pos_;
    pos_ = 0;
    int root = parse_or();
    if (root != fail && peek().kind != TokenKind::end) root = error_here("unexpected '" + describe(peek()) + "'");
    std::swap(tokens_, tokens);
    pos_ = saved_pos;
    return root;
  }

  int finish(int root) {
    if (root == fail) return fail;
    if (out_.nodes[root].type.base == B::literal_list) return error_at(1, "a bare list has no type here");
    return root;
  }

  std::optional<CompileError> error;

 private:
  // ---- tokens and errors ----
  const Token& peek() const { return tokens_[pos_]; }
  const Token& next() { return tokens_[pos_++]; }
  bool accept(TokenKind k) {
    if (peek().kind != k) return false;
    ++pos_;
    return true;
  }
  static std::string describe(const Token& t) {
    if (t.kind == TokenKind::end) return "end of expression";
    if (t.kind == TokenKind::integer) return std::to_string(t.integer);
    if (!t.text.empty()) return t.text;
    return "symbol";
  }
  int error_at(std::size_t column, std::string message) {
    if (!error) error = CompileError{column, def_stack_.empty() ? "" : def_stack_.back(), std::move(message)};
    return fail;
  }
  int error_here(std::string message) { return error_at(peek().column, std::move(message)); }
  bool expect(TokenKind k, std::string_view what) {
    if (accept(k)) return true;
    error_here("expected " + std::string(what) + ", found '" + describe(peek()) + "'");
    return false;
  }

  // ---- node emission ----
  int emit(Node node) {
    if (out_.nodes.size() >= program_nodes_max) return error_here("expression is too large");
    out_.nodes.push_back(node);
    return static_cast<int>(out_.nodes.size() - 1);
  }
  Node& at(int i) { return out_.nodes[static_cast<std::size_t>(i)]; }
  Type type_of(int i) { return at(i).type; }
  int unary(Op op, Type type, int a) { return emit(Node{op, type, u16(a)}); }
  int binary(Op op, Type type, int a, int b) { return emit(Node{op, type, u16(a), u16(b)}); }
  static std::uint16_t u16(int i) { return static_cast<std::uint16_t>(i); }

  int text_constant(std::string text) {
    out_.strings.push_back(std::move(text));
    out_.string_views.emplace_back(out_.strings.back());
    return emit(Node{Op::constant, Type{B::text}, no_child, no_child, no_child,
                     static_cast<Value>(reinterpret_cast<std::intptr_t>(&out_.string_views.back()))});
  }
  bool is_text_literal(int i) { return at(i).op == Op::constant && at(i).type.base == B::text; }
  std::string_view literal_text(int i) {
    return *reinterpret_cast<const std::string_view*>(static_cast<std::intptr_t>(at(i).imm));
  }

  // Turns a string literal or a literal list into `target` if it can; true when types now match.
  bool coerce(int i, B target, std::size_t column) {
    Type have = type_of(i);
    if (have.base == target) return true;
    if (is_text_literal(i) && is_enum(target)) return coerce_to_enum(i, target, column);
    if (have.base == B::literal_list && is_set(target)) return coerce_list_to_set(i, target, column);
    if (have.base == B::literal_list && target == B::text_list) {
      at(i).type = Type{B::text_list};
      return true;
    }
    return false;
  }
  bool coerce_to_enum(int i, B target, std::size_t column) {
    int v = enum_value(target, literal_text(i));
    if (v < 0) {
      error_at(column, "'" + std::string(literal_text(i)) + "' is not a known " + type_name(Type{target}));
      return false;
    }
    at(i) = Node{Op::constant, Type{target}, no_child, no_child, no_child, v};
    return true;
  }
  bool coerce_list_to_set(int i, B target, std::size_t column) {
    const auto& items = *reinterpret_cast<const std::vector<std::string>*>(static_cast<std::intptr_t>(at(i).imm));
    std::uint64_t bits = 0;
    for (const auto& item : items) {
      int v = enum_value(element_of(target), item);
      if (v < 0) {
        error_at(column, "'" + item + "' is not a known " + type_name(Type{element_of(target)}));
        return false;
      }
      bits |= std::uint64_t{1} << v;
    }
    at(i) = Node{Op::constant, Type{target}, no_child, no_child, no_child, static_cast<Value>(bits)};
    return true;
  }
  // Makes two operands agree on a type, converting a literal side to the other side's type.
  bool unify(int a, int b, std::size_t column) {
    if (type_of(a).base == type_of(b).base) return true;
    if (coerce(a, type_of(b).base, column)) return true;
    if (error) return false;
    if (coerce(b, type_of(a).base, column)) return true;
    return false;
  }
  bool require_type(int i, B want, std::size_t column, std::string_view what) {
    if (coerce(i, want, column) && !type_of(i).nullable) return true;
    if (error) return false;
    std::string message = std::string(what) + " must be " + type_name(Type{want}) + ", not " + type_name(type_of(i));
    if (type_of(i).nullable) message += " (use coalesce or is_null)";
    error_at(column, message);
    return false;
  }
  bool require_non_null(int i, std::size_t column) {
    if (!type_of(i).nullable) return true;
    error_at(column, "value may be null here (use coalesce or is_null)");
    return false;
  }

  // ---- grammar: or > and > not > comparison > additive > multiplicative > unary > primary ----
  struct DepthGuard {
    Compiler& c;
    explicit DepthGuard(Compiler& compiler) : c(compiler) { ++c.depth_; }
    ~DepthGuard() { --c.depth_; }
  };

  int parse_or() {
    DepthGuard guard(*this);
    if (depth_ > expression_depth_max) return error_here("expression is nested too deeply");
    int left = parse_and();
    while (left != fail && peek().kind == TokenKind::kw_or) {
      std::size_t column = next().column;
      int right = parse_and();
      if (right == fail) return fail;
      if (!require_type(left, B::boolean, column, "left of 'or'") || !require_type(right, B::boolean, column, "right of 'or'")) return fail;
      left = binary(Op::logical_or, Type{B::boolean}, left, right);
    }
    return left;
  }

  int parse_and() {
    int left = parse_not();
    while (left != fail && peek().kind == TokenKind::kw_and) {
      std::size_t column = next().column;
      int right = parse_not();
      if (right == fail) return fail;
      if (!require_type(left, B::boolean, column, "left of 'and'") || !require_type(right, B::boolean, column, "right of 'and'")) return fail;
      left = binary(Op::logical_and, Type{B::boolean}, left, right);
    }
    return left;
  }

  int parse_not() {
    if (peek().kind != TokenKind::kw_not) return parse_comparison();
    std::size_t column = next().column;
    DepthGuard guard(*this);
    if (depth_ > expression_depth_max) return error_here("expression is nested too deeply");
    int operand = parse_not();
    if (operand == fail || !require_type(operand, B::boolean, column, "operand of 'not'")) return fail;
    return unary(Op::logical_not, Type{B::boolean}, operand);
  }

  int parse_comparison() {
    int left = parse_additive();
    if (left == fail) return fail;
    TokenKind k = peek().kind;
    if (k == TokenKind::kw_in) {
      std::size_t column = next().column;
      int right = parse_additive();
      return right == fail ? fail : membership(left, right, column);
    }
    if (k != TokenKind::eq && k != TokenKind::ne && k != TokenKind::lt && k != TokenKind::le &&
        k != TokenKind::gt && k != TokenKind::ge) {
      return left;
    }
    std::size_t column = next().column;
    int right = parse_additive();
    return right == fail ? fail : comparison(k, left, right, column);
  }

  int comparison(TokenKind k, int left, int right, std::size_t column) {
    if (!unify(left, right, column)) {
      if (error) return fail;
      return error_at(column, "cannot compare " + type_name(type_of(left)) + " with " + type_name(type_of(right)));
    }
    if (!require_non_null(left, column) || !require_non_null(right, column)) return fail;
    B base = type_of(left).base;
    bool equality = k == TokenKind::eq || k == TokenKind::ne;
    if (base == B::literal_list || base == B::text_list || base == B::registration_map) {
      return error_at(column, "cannot compare " + type_name(type_of(left)));
    }
    if (!equality && !is_ordered(base)) return error_at(column, type_name(type_of(left)) + " has no order");
    Op op = Op::equal;
    if (base == B::text) op = k == TokenKind::eq ? Op::text_equal : Op::text_not_equal;
    else if (k == TokenKind::ne) op = Op::not_equal;
    else if (k == TokenKind::lt) op = Op::less;
    else if (k == TokenKind::le) op = Op::less_equal;
    else if (k == TokenKind::gt) op = Op::greater;
    else if (k == TokenKind::ge) op = Op::greater_equal;
    return binary(op, Type{B::boolean}, left, right);
  }

  int membership(int element, int collection, std::size_t column) {
    if (!require_non_null(element, column)) return fail;
    B cb = type_of(collection).base;
    B eb = type_of(element).base;
    if (cb == B::literal_list) {
      if (has_set_type(eb)) cb = set_of(eb);
      else if (eb == B::text) cb = B::text_list;
      else return error_at(column, "'in' needs a set of entity types, categories or evidence kinds, or a text list");
      if (!coerce(collection, cb, column)) return fail;
    }
    if (is_set(cb)) {
      if (!coerce(element, element_of(cb), column)) {
        if (error) return fail;
        return error_at(column, type_name(type_of(element)) + " cannot be in a " + type_name(Type{cb}));
      }
      return binary(Op::in_set, Type{B::boolean}, element, collection);
    }
    if (cb == B::text_list && eb == B::text) return binary(Op::in_text_list, Type{B::boolean}, element, collection);
    return error_at(column, "'in' cannot look for " + type_name(type_of(element)) + " in " + type_name(type_of(collection)));
  }

  int parse_additive() {
    int left = parse_multiplicative();
    while (left != fail && (peek().kind == TokenKind::plus || peek().kind == TokenKind::minus)) {
      bool plus = peek().kind == TokenKind::plus;
      std::size_t column = next().column;
      int right = parse_multiplicative();
      if (right == fail) return fail;
      left = arithmetic(plus ? Op::add : Op::subtract, left, right, column);
    }
    return left;
  }

  int arithmetic(Op op, int left, int right, std::size_t column) {
    if (!require_non_null(left, column) || !require_non_null(right, column)) return fail;
    B l = type_of(left).base, r = type_of(right).base;
    if (l == B::integer && r == B::integer) return binary(op, Type{B::integer}, left, right);
    if (l == B::fen && r == B::fen && op != Op::multiply) {
      return binary(op == Op::add ? Op::fen_add : Op::fen_subtract, Type{B::fen}, left, right);
    }
    if (op == Op::multiply && l == B::fen && r == B::integer) return binary(Op::fen_multiply, Type{B::fen}, left, right);
    if (op == Op::multiply && l == B::integer && r == B::fen) return binary(Op::fen_multiply, Type{B::fen}, right, left);
    return error_at(column, "cannot combine " + type_name(type_of(left)) + " and " + type_name(type_of(right)) +
                                " this way (fen + fen, fen × int, int arithmetic; dates use add_months)");
  }

  int parse_multiplicative() {
    int left = parse_unary();
    while (left != fail && peek().kind == TokenKind::star) {
      std::size_t column = next().column;
      int right = parse_unary();
      if (right == fail) return fail;
      left = arithmetic(Op::multiply, left, right, column);
    }
    return left;
  }

  int parse_unary() {
    if (peek().kind != TokenKind::minus) return parse_primary();
    std::size_t column = next().column;
    DepthGuard guard(*this);
    if (depth_ > expression_depth_max) return error_here("expression is nested too deeply");
    int operand = parse_unary();
    if (operand == fail) return fail;
    B b = type_of(operand).base;
    if ((b != B::integer && b != B::fen) || type_of(operand).nullable) return error_at(column, "only int and fen can be negated");
    return unary(Op::negate, type_of(operand), operand);
  }

  int parse_primary() {
    const Token& token = peek();
    switch (token.kind) {
      case TokenKind::integer: next(); return emit(Node{Op::constant, Type{B::integer}, no_child, no_child, no_child, token.integer});
      case TokenKind::string: next(); return text_constant(token.text);
      case TokenKind::kw_true: next(); return emit(Node{Op::constant, Type{B::boolean}, no_child, no_child, no_child, 1});
      case TokenKind::kw_false: next(); return emit(Node{Op::constant, Type{B::boolean}, no_child, no_child, no_child, 0});
      case TokenKind::kw_null: return error_here("null has no type here: use is_null(x) or coalesce(x, y)");
      case TokenKind::lparen: {
        next();
        int inner = parse_or();
        if (inner == fail || !expect(TokenKind::rparen, "')'")) return fail;
        return inner;
      }
      case TokenKind::lbracket: return parse_list();
      case TokenKind::identifier: return parse_name();
      default: return error_here("unexpected '" + describe(token) + "'");
    }
  }

  int parse_list() {
    next();
    std::vector<std::string> items;
    if (!accept(TokenKind::rbracket)) {
      do {
        if (peek().kind != TokenKind::string) return error_here("list items must be quoted names");
        items.push_back(next().text);
      } while (accept(TokenKind::comma));
      if (!expect(TokenKind::rbracket, "']'")) return fail;
    }
    out_.text_lists.push_back(std::move(items));
    return emit(Node{Op::constant, Type{B::literal_list}, no_child, no_child, no_child,
                     static_cast<Value>(reinterpret_cast<std::intptr_t>(&out_.text_lists.back()))});
  }

  // A dotted context name, a definition, or a function call.
  int parse_name() {
    std::size_t column = peek().column;
    std::string name = next().text;
    if (peek().kind == TokenKind::lparen) return parse_call(name, column);
    while (peek().kind == TokenKind::dot) {
      next();
      if (peek().kind != TokenKind::identifier) return error_here("expected a name after '.'");
      name += "." + next().text;
    }
    return resolve_name(name, column);
  }

  int resolve_name(const std::string& name, std::size_t column) {
    for (const ContextName& c : context_names()) {
      if (c.name != name) continue;
      if ((c.programs & env_.programs_mask) != env_.programs_mask) {
        return error_at(column, "'" + name + "' is not available to every program this rule applies to");
      }
      if (c.phase == Phase::settlement_only && !env_.settlement_phase) {
        return error_at(column, "'" + name + "' is only available in settlement rules");
      }
      return emit(Node{c.op, c.type});
    }
    if (const std::string* source = env_.find_definition ? env_.find_definition(name) : nullptr) {
      return inline_definition(name, *source, column);
    }
    return error_at(column, "unknown name '" + name + "'");
  }

  int inline_definition(const std::string& name, const std::string& source, std::size_t column) {
    if (std::find(def_stack_.begin(), def_stack_.end(), name) != def_stack_.end()) {
      return error_at(column, "definition '" + name + "' refers to itself");
    }
    if (def_stack_.size() >= expression_depth_max) return error_at(column, "definitions nest too deeply");
    def_stack_.push_back(name);
    int root = compile_source(source);
    def_stack_.pop_back();
    return root;
  }

  // ---- calls ----
  int parse_call(const std::string& name, std::size_t column) {
    next();  // '('
    if (name == "param" || name == "date" || name == "month") return parse_literal_call(name, column);
    std::vector<int> args;
    std::vector<std::size_t> columns;
    if (!accept(TokenKind::rparen)) {
      do {
        columns.push_back(peek().column);
        int arg = parse_or();
        if (arg == fail) return fail;
        args.push_back(arg);
      } while (accept(TokenKind::comma));
      if (!expect(TokenKind::rparen, "')'")) return fail;
    }
    return call(name, args, columns, column);
  }

  int parse_literal_call(const std::string& name, std::size_t column) {
    if (peek().kind != TokenKind::string) return error_here(name + "() takes one quoted name");
    std::string text = next().text;
    if (!expect(TokenKind::rparen, "')'")) return fail;
    if (name == "date") {
      auto d = parse_date(text);
      if (!d) return error_at(column, "'" + text + "' is not a date YYYY-MM-DD");
      return emit(Node{Op::constant, Type{B::date}, no_child, no_child, no_child, static_cast<Value>(d->day_number())});
    }
    if (name == "month") {
      auto m = parse_month(text);
      if (!m) return error_at(column, "'" + text + "' is not a month YYYY-MM");
      return emit(Node{Op::constant, Type{B::month}, no_child, no_child, no_child, m->index()});
    }
    auto info = env_.find_param ? env_.find_param(text) : std::nullopt;
    if (!info) return error_at(column, "unknown parameter '" + text + "'");
    return emit(Node{Op::param, info->type, no_child, no_child, no_child, info->index});
  }

  int call(const std::string& name, const std::vector<int>& args, const std::vector<std::size_t>& columns, std::size_t column) {
    int generic = call_generic(name, args, columns, column);
    if (generic != fail || error) return generic;
    for (const FunctionSignature& f : fixed_functions()) {
      if (f.name != name) continue;
      if (args.size() != f.arity) {
        return error_at(column, name + "() takes " + std::to_string(f.arity) + " argument(s)");
      }
      if ((f.programs & env_.programs_mask) != env_.programs_mask) {
        return error_at(column, name + "() is not available to every program this rule applies to");
      }
      for (std::size_t i = 0; i < args.size(); ++i) {
        if (!require_type(args[i], f.args[i], columns[i], name + "() argument " + std::to_string(i + 1))) return fail;
      }
      Node node{f.op, f.result};
      if (args.size() > 0) node.a = u16(args[0]);
      if (args.size() > 1) node.b = u16(args[1]);
      return emit(node);
    }
    return error_at(column, "unknown function '" + name + "'");
  }

  // Functions whose types follow their arguments. Returns fail without error for other names.
  int call_generic(const std::string& name, const std::vector<int>& args, const std::vector<std::size_t>& columns, std::size_t column) {
    auto arity = [&](std::size_t n) {
      if (args.size() == n) return true;
      error_at(column, name + "() takes " + std::to_string(n) + " argument(s)");
      return false;
    };
    if (name == "min" || name == "max") {
      if (!arity(2) || !same_type(args[0], args[1], column)) return fail;
      if (!require_non_null(args[0], columns[0]) || !require_non_null(args[1], columns[1])) return fail;
      if (!is_ordered(type_of(args[0]).base)) return error_at(column, name + "() needs ordered values");
      return binary(name == "min" ? Op::min : Op::max, type_of(args[0]), args[0], args[1]);
    }
    if (name == "coalesce") {
      if (!arity(2)) return fail;
      if (!type_of(args[0]).nullable) return error_at(columns[0], "coalesce() needs a value that may be null first");
      Type plain{type_of(args[0]).base, false};
      if (!require_type(args[1], plain.base, columns[1], "coalesce() fallback")) return fail;
      return binary(Op::coalesce, plain, args[0], args[1]);
    }
    if (name == "is_null") {
      if (!arity(1)) return fail;
      if (!type_of(args[0]).nullable) return error_at(columns[0], "is_null() of a value that is never null");
      return unary(Op::is_null, Type{B::boolean}, args[0]);
    }
    if (name == "if") {
      if (!arity(3) || !require_type(args[0], B::boolean, columns[0], "if() condition")) return fail;
      if (!same_type(args[1], args[2], column)) return fail;
      if (type_of(args[1]).base == B::literal_list) return error_at(column, "if() branches need a type");
      Type result = type_of(args[1]);
      result.nullable = result.nullable || type_of(args[2]).nullable;
      return emit(Node{Op::if_then_else, result, u16(args[0]), u16(args[1]), u16(args[2])});
    }
    if (name == "union" || name == "intersect" || name == "difference") {
      if (!arity(2) || !same_type(args[0], args[1], column)) return fail;
      if (!is_set(type_of(args[0]).base)) return error_at(column, name + "() needs two sets of the same kind");
      Op op = name == "union" ? Op::set_union : name == "intersect" ? Op::set_intersect : Op::set_difference;
      return binary(op, type_of(args[0]), args[0], args[1]);
    }
    if (name == "size" || name == "is_empty") {
      if (!arity(1)) return fail;
      if (!is_set(type_of(args[0]).base)) return error_at(columns[0], name + "() needs a set");
      return unary(name == "size" ? Op::set_size : Op::set_is_empty, Type{name == "size" ? B::integer : B::boolean}, args[0]);
    }
    return fail;
  }

  bool same_type(int a, int b, std::size_t column) {
    if (unify(a, b, column) || error) return !error;
    error_at(column, "arguments differ in type: " + type_name(type_of(a)) + " and " + type_name(type_of(b)));
    return false;
  }

  const CompileEnv& env_;
  Program& out_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::vector<std::string> def_stack_;
};

void mark_dependencies(Program& program) {
  for (const Node& n : program.nodes) {
    switch (n.op) {
      case Op::line_month: case Op::line_date: case Op::line_amount: case Op::approved_total:
      case Op::approved_months: case Op::within_budget: case Op::result_passed:
      case Op::project_known: case Op::project_listed: case Op::project_standard_fen:
      case Op::institution_known: case Op::institution_listed:
        program.reads_line = true;
        break;
      case Op::person_categories: case Op::person_id_number: case Op::person_name:
      case Op::month_paid: case Op::approved_program: case Op::overlapping_class: case Op::identity_consistent:
      case Op::registered: case Op::certified: case Op::class_filing:
        program.reads_person = true;
        break;
      default:
        break;
    }
  }
}

}  // namespace

std::variant<Program, CompileError> compile(std::string_view source, const CompileEnv& env) {
  Program program;
  program.source = std::string(source);
  Compiler compiler(env, program);
  int root = compiler.finish(compiler.compile_source(source));
  if (root == fail) return compiler.error.value_or(CompileError{1, "", "invalid expression"});
  program.root = static_cast<std::uint16_t>(root);
  program.type = program.nodes[program.root].type;
  mark_dependencies(program);
  return program;
}

}  // namespace subsidy::expr
