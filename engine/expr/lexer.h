#pragma once
// Tokens of the rule expression language. Strings are quoted with ' or " (single quotes read
// better inside a JSON ruleset file); integers are decimal; keywords are and/or/not/in/true/false/null.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::expr {

enum class TokenKind : std::uint8_t {
  identifier, integer, string, lparen, rparen, lbracket, rbracket, comma, dot,
  eq, ne, lt, le, gt, ge, plus, minus, star,
  kw_and, kw_or, kw_not, kw_in, kw_true, kw_false, kw_null, end
};

struct Token {
  TokenKind kind = TokenKind::end;
  std::string text;          // identifier name or unquoted string
  std::int64_t integer = 0;  // value of an integer token
  std::size_t column = 1;    // 1-based position in the expression
};

struct LexError {
  std::size_t column = 1;
  std::string message;
};

// Splits `source` into tokens ending with TokenKind::end; on failure fills `error` and returns {}.
std::vector<Token> tokenize(std::string_view source, LexError& error);

// Expressions longer than this are refused at load: a rule is a sentence, not a program.
inline constexpr std::size_t expression_chars_max = 4096;

}  // namespace subsidy::expr
