#include "engine/expr/lexer.h"

#include <cctype>
#include <optional>

namespace subsidy::expr {
namespace {

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

std::optional<TokenKind> keyword(std::string_view word) {
  if (word == "and") return TokenKind::kw_and;
  if (word == "or") return TokenKind::kw_or;
  if (word == "not") return TokenKind::kw_not;
  if (word == "in") return TokenKind::kw_in;
  if (word == "true") return TokenKind::kw_true;
  if (word == "false") return TokenKind::kw_false;
  if (word == "null") return TokenKind::kw_null;
  return std::nullopt;
}

std::optional<TokenKind> punctuation(std::string_view s, std::size_t& length) {
  length = 2;
  if (s.starts_with("==")) return TokenKind::eq;
  if (s.starts_with("!=")) return TokenKind::ne;
  if (s.starts_with("<=")) return TokenKind::le;
  if (s.starts_with(">=")) return TokenKind::ge;
  length = 1;
  switch (s[0]) {
    case '(': return TokenKind::lparen;
    case ')': return TokenKind::rparen;
    case '[': return TokenKind::lbracket;
    case ']': return TokenKind::rbracket;
    case ',': return TokenKind::comma;
    case '.': return TokenKind::dot;
    case '<': return TokenKind::lt;
    case '>': return TokenKind::gt;
    case '+': return TokenKind::plus;
    case '-': return TokenKind::minus;
    case '*': return TokenKind::star;
    default: return std::nullopt;
  }
}

// Reads a quoted string starting at source[i]; advances i past the closing quote.
bool read_string(std::string_view source, std::size_t& i, std::string& out, LexError& error) {
  char quote = source[i];
  std::size_t start = i++;
  while (i < source.size() && source[i] != quote) {
    if (source[i] == '\\' && i + 1 < source.size()) ++i;
    out += source[i++];
  }
  if (i >= source.size()) {
    error = {start + 1, "string is not closed"};
    return false;
  }
  ++i;
  return true;
}

bool read_integer(std::string_view source, std::size_t& i, std::int64_t& out, LexError& error) {
  std::size_t start = i;
  std::int64_t value = 0;
  while (i < source.size() && std::isdigit(static_cast<unsigned char>(source[i]))) {
    if (__builtin_mul_overflow(value, 10, &value) || __builtin_add_overflow(value, source[i] - '0', &value)) {
      error = {start + 1, "integer is too large"};
      return false;
    }
    ++i;
  }
  out = value;
  return true;
}

}  // namespace

std::vector<Token> tokenize(std::string_view source, LexError& error) {
  std::vector<Token> tokens;
  if (source.size() > expression_chars_max) {
    error = {1, "expression is longer than " + std::to_string(expression_chars_max) + " characters"};
    return {};
  }
  std::size_t i = 0;
  while (i < source.size()) {
    char c = source[i];
    if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    Token token;
    token.column = i + 1;
    if (is_ident_start(c)) {
      std::size_t start = i;
      while (i < source.size() && is_ident_char(source[i])) ++i;
      token.text = std::string(source.substr(start, i - start));
      token.kind = keyword(token.text).value_or(TokenKind::identifier);
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      token.kind = TokenKind::integer;
      if (!read_integer(source, i, token.integer, error)) return {};
    } else if (c == '\'' || c == '"') {
      token.kind = TokenKind::string;
      if (!read_string(source, i, token.text, error)) return {};
    } else {
      std::size_t length = 0;
      auto kind = punctuation(source.substr(i), length);
      if (!kind) {
        error = {i + 1, std::string("unexpected character '") + c + "'"};
        return {};
      }
      token.kind = *kind;
      i += length;
    }
    tokens.push_back(std::move(token));
  }
  Token end;
  end.column = source.size() + 1;
  tokens.push_back(end);
  return tokens;
}

}  // namespace subsidy::expr
