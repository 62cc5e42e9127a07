#include "audit/canonical_json.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace subsidy::audit {
namespace {

Error invalid(std::string message) { return make_error(ErrorCode::invalid_argument, std::move(message)); }

// Decodes the UTF-8 sequence at text[pos], advancing pos; nullopt for anything RFC 3629 forbids
// (overlong forms, surrogates, values above U+10FFFF, truncated sequences).
std::optional<char32_t> next_code_point(std::string_view text, std::size_t& pos) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  if (lead < 0x80) {
    ++pos;
    return lead;
  }
  std::size_t length = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1Fu, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0Fu, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07u, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - pos < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto next = static_cast<unsigned char>(text[pos + i]);
    if ((next & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (next & 0x3Fu);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  pos += length;
  return cp;
}

// Member names sort by UTF-16 code units (RFC 8785 §3.2.3), which differs from code point order
// for characters above U+FFFF, so names are compared in their UTF-16 form.
std::optional<std::u16string> to_utf16(std::string_view text) {
  std::u16string out;
  for (std::size_t pos = 0; pos < text.size();) {
    const auto cp = next_code_point(text, pos);
    if (!cp) return std::nullopt;
    if (*cp < 0x10000) {
      out.push_back(static_cast<char16_t>(*cp));
    } else {
      const char32_t v = *cp - 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (v >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (v & 0x3FF)));
    }
  }
  return out;
}

// The five controls with a two-character escape use it (RFC 8785 §3.2.2.2); the others are
// written as \u00xx in lowercase hex.
void append_escaped_control(std::string& out, unsigned char c) {
  static constexpr std::array<std::pair<unsigned char, std::string_view>, 5> short_escapes = {
      {{'\b', "\\b"}, {'\t', "\\t"}, {'\n', "\\n"}, {'\f', "\\f"}, {'\r', "\\r"}}};
  for (const auto& [control, escape] : short_escapes) {
    if (c == control) {
      out += escape;
      return;
    }
  }
  static constexpr std::string_view hex = "0123456789abcdef";
  out += "\\u00";
  out += hex[c >> 4];
  out += hex[c & 0xF];
}

// RFC 8785 §3.2.2.2: only '"', '\\' and U+0000..U+001F are escaped; everything else is copied.
Status append_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t pos = 0; pos < text.size();) {
    // A run of printable ASCII other than '"' and '\\' is copied as it is.
    std::size_t run = pos;
    while (run < text.size()) {
      const auto b = static_cast<unsigned char>(text[run]);
      if (b < 0x20 || b >= 0x80 || b == '"' || b == '\\') break;
      ++run;
    }
    if (run != pos) {
      out.append(text.data() + pos, run - pos);
      pos = run;
      continue;
    }
    const std::size_t start = pos;
    if (!next_code_point(text, pos)) return invalid("string is not valid UTF-8");
    const auto c = static_cast<unsigned char>(text[start]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      append_escaped_control(out, c);
    } else {
      out.append(text.substr(start, pos - start));
    }
  }
  out += '"';
  return {};
}

Status append_value(std::string& out, const boost::json::value& value, std::size_t depth);

bool valid_utf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
    } else if (!next_code_point(text, pos)) {
      return false;
    }
  }
  return true;
}

// True if the UTF-8 byte order of text's characters is their UTF-16 code unit order against any
// other such text: no byte at or above 0xEE, the lead bytes of U+E000 and beyond.
bool sorts_as_utf16(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0xEE) return false;
  }
  return true;
}

Status append_object_utf16(std::string& out, const boost::json::object& object, std::size_t depth);

// Members are sorted by their UTF-8 bytes, which is UTF-16 order when every name
// sorts_as_utf16(); otherwise by their UTF-16 form (append_object_utf16).
Status append_object(std::string& out, const boost::json::object& object, std::size_t depth) {
  constexpr std::size_t inline_members = 32;
  std::array<const boost::json::key_value_pair*, inline_members> inline_sorted{};
  std::vector<const boost::json::key_value_pair*> heap_sorted;
  const boost::json::key_value_pair** sorted = inline_sorted.data();
  if (object.size() > inline_members) {
    heap_sorted.resize(object.size());
    sorted = heap_sorted.data();
  }
  std::size_t n = 0;
  for (const auto& member : object) {
    if (!sorts_as_utf16(member.key())) return append_object_utf16(out, object, depth);
    if (!valid_utf8(member.key())) return invalid("member name is not valid UTF-8");
    sorted[n++] = &member;
  }
  std::sort(sorted, sorted + n, [](const auto* a, const auto* b) { return a->key() < b->key(); });
  out += '{';
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) {
      if (sorted[i]->key() == sorted[i - 1]->key()) return invalid("duplicate member name");
      out += ',';
    }
    if (auto s = append_string(out, sorted[i]->key()); !s.ok()) return s;
    out += ':';
    if (auto s = append_value(out, sorted[i]->value(), depth + 1); !s.ok()) return s;
  }
  out += '}';
  return {};
}

Status append_object_utf16(std::string& out, const boost::json::object& object, std::size_t depth) {
  std::vector<std::pair<std::u16string, const boost::json::key_value_pair*>> members;
  members.reserve(object.size());
  for (const auto& member : object) {
    auto key = to_utf16(member.key());
    if (!key) return invalid("member name is not valid UTF-8");
    members.emplace_back(std::move(*key), &member);
  }
  std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  out += '{';
  for (std::size_t i = 0; i < members.size(); ++i) {
    if (i > 0) {
      if (members[i].first == members[i - 1].first) return invalid("duplicate member name");
      out += ',';
    }
    if (auto s = append_string(out, members[i].second->key()); !s.ok()) return s;
    out += ':';
    if (auto s = append_value(out, members[i].second->value(), depth + 1); !s.ok()) return s;
  }
  out += '}';
  return {};
}

Status append_array(std::string& out, const boost::json::array& array, std::size_t depth) {
  out += '[';
  for (std::size_t i = 0; i < array.size(); ++i) {
    if (i > 0) out += ',';
    if (auto s = append_value(out, array[i], depth + 1); !s.ok()) return s;
  }
  out += ']';
  return {};
}

Status append_integer(std::string& out, std::int64_t v) {
  if (v > canonical_integer_magnitude_max || v < -canonical_integer_magnitude_max) {
    return invalid("integer " + std::to_string(v) + " is beyond the exact range of a JSON number");
  }
  std::array<char, 24> digits{};
  const auto [end, ec] = std::to_chars(digits.data(), digits.data() + digits.size(), v);
  assert(ec == std::errc());
  out.append(digits.data(), end);
  return {};
}

Status append_value(std::string& out, const boost::json::value& value, std::size_t depth) {
  if (depth > canonical_depth_max) return invalid("JSON nesting is too deep");
  switch (value.kind()) {
    case boost::json::kind::null:
      out += "null";
      return {};
    case boost::json::kind::bool_:
      out += value.get_bool() ? "true" : "false";
      return {};
    case boost::json::kind::int64:
      return append_integer(out, value.get_int64());
    case boost::json::kind::uint64:
      if (value.get_uint64() > static_cast<std::uint64_t>(canonical_integer_magnitude_max)) {
        return invalid("integer is beyond the exact range of a JSON number");
      }
      return append_integer(out, static_cast<std::int64_t>(value.get_uint64()));
    case boost::json::kind::double_:
      if (!std::isfinite(value.get_double())) return invalid("NaN and Infinity are not JSON numbers");
      out += ecmascript_number(value.get_double());
      return {};
    case boost::json::kind::string:
      return append_string(out, value.get_string());
    case boost::json::kind::array:
      return append_array(out, value.get_array(), depth);
    case boost::json::kind::object:
      return append_object(out, value.get_object(), depth);
  }
  return invalid("unknown JSON kind");
}

// The shortest round-trip decimal digits of |x| > 0 and the ECMAScript exponent n, such that
// |x| = 0.digits × 10^n.
struct DecimalForm {
  std::string digits;
  int n = 0;
};

DecimalForm shortest_decimal(double magnitude) {
  std::array<char, 32> buffer{};  // "d.dddddddddddddddde-324" needs 24
  const auto [end, ec] =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), magnitude, std::chars_format::scientific);
  assert(ec == std::errc());
  const std::string_view text(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
  const std::size_t e_pos = text.find('e');
  DecimalForm form;
  for (char c : text.substr(0, e_pos)) {
    if (c != '.') form.digits += c;
  }
  int exponent = 0;
  const auto exponent_text = text.substr(e_pos + 1);
  const char* first = exponent_text.data() + (exponent_text.front() == '+' ? 1 : 0);
  const auto parsed = std::from_chars(first, exponent_text.data() + exponent_text.size(), exponent);
  assert(parsed.ec == std::errc());
  (void)parsed;
  form.n = exponent + 1;
  return form;
}

// Word-at-a-time byte classes over the 8 bytes at s (little-endian: byte i is bits 8i..8i+7). Each
// mask has the high bit of exactly the bytes of its class (no borrow crosses bytes).
constexpr std::uint64_t low7s = 0x7F7F7F7F7F7F7F7FULL;
constexpr std::uint64_t highs = 0x8080808080808080ULL;
constexpr std::uint64_t ones = 0x0101010101010101ULL;

std::uint64_t load8(const char* s) {
  std::uint64_t x = 0;
  std::memcpy(&x, s, sizeof x);
  return x;
}
// Bytes equal to c (c < 0x80).
std::uint64_t bytes_equal(std::uint64_t x, unsigned char c) {
  const std::uint64_t y = x ^ (ones * c);
  return ~(((y & low7s) + low7s) | y) & highs;
}
// '"', '\\', a control (below 0x20) or a non-ASCII byte: where a canonical string's plain run ends.
std::uint64_t string_specials(std::uint64_t x) {
  const std::uint64_t below_space = ~(((x & low7s) + ones * (0x80 - 0x20)) | x) & highs;
  return below_space | (x & highs) | bytes_equal(x, '"') | bytes_equal(x, '\\');
}
// The index of the first byte marked in a non-zero mask.
std::size_t first_marked(std::uint64_t mask) { return static_cast<std::size_t>(std::countr_zero(mask)) / 8; }

// is_canonical_json_fast(): a recursive-descent scanner over the canonical grammar only. Every
// "false" is either a certain "not canonical" or "not decided here".
class CanonicalScanner {
 public:
  static constexpr std::size_t depth_max = 32;

  explicit CanonicalScanner(std::string_view text) : t_(text) {}

  bool value(std::size_t depth, std::vector<JsonMemberText>* members) {
    if (p_ >= t_.size()) return false;
    switch (t_[p_]) {
      case '{': return object(depth, members);
      case '[': return array(depth);
      case '"': return string(false);
      case 't': return literal("true");
      case 'f': return literal("false");
      case 'n': return literal("null");
      default: return number();
    }
  }
  bool at_end() const { return p_ == t_.size(); }

 private:
  bool next_is(char c) const { return p_ < t_.size() && t_[p_] == c; }

  bool object(std::size_t depth, std::vector<JsonMemberText>* members) {
    if (depth >= depth_max) return false;
    ++p_;
    if (next_is('}')) {
      ++p_;
      return true;
    }
    std::string_view previous;
    for (bool first = true;; first = false) {
      if (!next_is('"')) return false;
      const std::size_t name_at = p_;
      if (!string(true)) return false;
      const std::string_view name = t_.substr(name_at + 1, p_ - name_at - 2);
      // Strictly increasing byte order is UTF-16 order here (names have no escapes and no
      // character at or above U+E000), and rules out duplicates.
      if (!first && !(previous < name)) return false;
      previous = name;
      if (!next_is(':')) return false;
      ++p_;
      const std::size_t value_at = p_;
      if (!value(depth + 1, nullptr)) return false;
      if (members != nullptr) members->push_back({name, t_.substr(value_at, p_ - value_at)});
      if (next_is(',')) {
        ++p_;
        continue;
      }
      if (!next_is('}')) return false;
      ++p_;
      return true;
    }
  }

  bool array(std::size_t depth) {
    if (depth >= depth_max) return false;
    ++p_;
    if (next_is(']')) {
      ++p_;
      return true;
    }
    for (;;) {
      if (!value(depth + 1, nullptr)) return false;
      if (next_is(',')) {
        ++p_;
        continue;
      }
      if (!next_is(']')) return false;
      ++p_;
      return true;
    }
  }

  // At '"'. Only the escapes append_string() writes are accepted.
  bool string(bool name) {
    ++p_;
    for (;;) {
      while (t_.size() - p_ >= 8) {  // to the next byte that is not plain ASCII
        const std::uint64_t special = string_specials(load8(t_.data() + p_));
        if (special != 0) {
          p_ += first_marked(special);
          break;
        }
        p_ += 8;
      }
      if (p_ >= t_.size()) return false;
      const auto c = static_cast<unsigned char>(t_[p_]);
      if (c == '"') {
        ++p_;
        return true;
      }
      if (c < 0x20) return false;
      if (c == '\\') {
        if (name || !escape()) return false;
        continue;
      }
      if (c < 0x80) {
        ++p_;
        continue;
      }
      if (name && c >= 0xEE) return false;
      if (!next_code_point(t_, p_)) return false;
    }
  }

  // At '\\': a short escape of '"', '\\' or \b \t \n \f \r, or \u00xx (lowercase) of another control.
  bool escape() {
    if (t_.size() - p_ < 2) return false;
    switch (t_[p_ + 1]) {
      case '"': case '\\': case 'b': case 't': case 'n': case 'f': case 'r':
        p_ += 2;
        return true;
      case 'u': break;
      default: return false;
    }
    if (t_.size() - p_ < 6 || t_[p_ + 2] != '0' || t_[p_ + 3] != '0') return false;
    const char high = t_[p_ + 4];
    const char low = t_[p_ + 5];
    if (high != '0' && high != '1') return false;
    int low_value = 0;
    if (low >= '0' && low <= '9') low_value = low - '0';
    else if (low >= 'a' && low <= 'f') low_value = low - 'a' + 10;
    else return false;
    const int control = (high - '0') * 16 + low_value;
    if (control == '\b' || control == '\t' || control == '\n' || control == '\f' || control == '\r') return false;
    p_ += 6;
    return true;
  }

  bool literal(std::string_view word) {
    if (t_.substr(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  // Integers only, as append_integer() writes them: no "-0", no leading zero, |v| <= 2^53.
  bool number() {
    const bool negative = next_is('-');
    if (negative) ++p_;
    const std::size_t first = p_;
    if (next_is('0')) {
      ++p_;
      if (negative) return false;
    } else {
      if (p_ >= t_.size() || t_[p_] < '1' || t_[p_] > '9') return false;
      while (p_ < t_.size() && t_[p_] >= '0' && t_[p_] <= '9') ++p_;
    }
    if (next_is('.') || next_is('e') || next_is('E')) return false;  // left to the exact check
    const std::string_view digits = t_.substr(first, p_ - first);
    static constexpr std::string_view limit = "9007199254740992";  // 2^53
    return digits.size() < limit.size() || (digits.size() == limit.size() && digits <= limit);
  }

  std::string_view t_;
  std::size_t p_ = 0;
};

std::size_t skip_string_from(std::string_view t, std::size_t p, std::size_t from);

// Past the string at p (at '"'): the first '"' after it not escaped by an odd number of '\\'.
std::size_t skip_string(std::string_view t, std::size_t p) {
  const char* const base = t.data();
  // Most strings are short: look at them 8 bytes at a time before calling memchr.
  const std::size_t near_end = std::min(t.size(), p + 1 + 32);
  std::size_t q = p + 1;
  for (; q + 8 <= near_end; q += 8) {
    const std::uint64_t x = load8(base + q);
    const std::uint64_t quote = bytes_equal(x, '"');
    const std::uint64_t backslash = bytes_equal(x, '\\');
    if (backslash != 0 && (quote == 0 || first_marked(backslash) < first_marked(quote))) {
      return skip_string_from(t, p, q);
    }
    if (quote != 0) return q + first_marked(quote) + 1;
  }
  return skip_string_from(t, p, q);
}

// skip_string() from `from` on, with memchr.
std::size_t skip_string_from(std::string_view t, std::size_t p, std::size_t from) {
  const char* const base = t.data();
  while (from < t.size()) {
    const void* hit = std::memchr(base + from, '"', t.size() - from);
    if (hit == nullptr) break;
    const auto at = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
    std::size_t backslashes = 0;
    while (at - backslashes > p + 1 && base[at - backslashes - 1] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at + 1;
    from = at + 1;
  }
  return t.size();
}

// Past the value at p of canonical text.
std::size_t skip_value(std::string_view t, std::size_t p) {
  if (p >= t.size()) return p;
  if (t[p] == '"') return skip_string(t, p);
  if (t[p] != '{' && t[p] != '[') {
    while (p < t.size() && t[p] != ',' && t[p] != '}' && t[p] != ']') ++p;
    return p;
  }
  std::size_t depth = 0;
  while (p < t.size()) {
    const char c = t[p];
    if (c == '"') {
      p = skip_string(t, p);
      continue;
    }
    ++p;
    if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && --depth == 0) return p;
  }
  return p;
}

}  // namespace

bool is_canonical_json_fast(std::string_view text, std::vector<JsonMemberText>* members) {
  if (members != nullptr) members->clear();
  CanonicalScanner scanner(text);
  const bool canonical = scanner.value(0, members) && scanner.at_end();
  if (!canonical && members != nullptr) members->clear();
  return canonical;
}

std::string with_canonical_members(std::string_view text, const std::vector<JsonMemberText>& extra) {
  std::vector<JsonMemberText> members;
  split_canonical_object(text, members);
  std::size_t extra_bytes = 0;
  for (const JsonMemberText& m : extra) extra_bytes += m.name.size() + m.value.size() + 4;
  std::string out;
  out.reserve(text.size() + extra_bytes);
  out += '{';
  auto put = [&](const JsonMemberText& m) {
    if (out.size() > 1) out += ',';
    out += '"';
    out += m.name;
    out += "\":";
    out += m.value;
  };
  std::size_t next = 0;
  for (const JsonMemberText& m : members) {
    for (; next < extra.size() && extra[next].name < m.name; ++next) put(extra[next]);
    put(m);
  }
  for (; next < extra.size(); ++next) put(extra[next]);
  out += '}';
  return out;
}

void split_canonical_object(std::string_view text, std::vector<JsonMemberText>& members) {
  members.clear();
  if (text.size() < 2 || text.front() != '{') return;
  std::size_t p = 1;
  while (p < text.size() && text[p] == '"') {
    const std::size_t name_end = skip_string(text, p);
    const std::string_view name = text.substr(p + 1, name_end - p - 2);
    const std::size_t value_at = name_end + 1;  // past ':'
    p = skip_value(text, value_at);
    members.push_back({name, text.substr(value_at, p - value_at)});
    if (p < text.size() && text[p] == ',') ++p;
  }
}

std::string_view member_text(const std::vector<JsonMemberText>& members, std::string_view name) {
  for (const JsonMemberText& m : members) {
    if (m.name == name) return m.value;
  }
  return {};
}

Result<std::string> canonical_json(const boost::json::value& value) {
  std::string out;
  if (auto s = append_value(out, value, 0); !s.ok()) return s.error();
  return out;
}

Result<std::string> canonical_json(const boost::json::object& object) {
  std::string out;
  if (auto s = append_object(out, object, 0); !s.ok()) return s.error();
  return out;
}

// Follows ECMA-262 Number::toString step by step: k digits, exponent n, then four layouts.
std::string ecmascript_number(double x) {
  assert(std::isfinite(x));
  if (x == 0) return "0";  // also -0
  std::string out = x < 0 ? "-" : "";
  const auto [digits, n] = shortest_decimal(std::fabs(x));
  const int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += n - 1 >= 0 ? "e+" : "e-";
    out += std::to_string(std::abs(n - 1));
  }
  return out;
}

}  // namespace subsidy::audit
