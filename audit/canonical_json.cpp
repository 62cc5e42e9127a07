#include "audit/canonical_json.h"

#include <boost/json/object.hpp>

#include <algorithm>
#include <array>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>
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

Status append_object(std::string& out, const boost::json::object& object, std::size_t depth) {
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
  out += std::to_string(v);
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

}  // namespace

Result<std::string> canonical_json(const boost::json::value& value) {
  std::string out;
  if (auto s = append_value(out, value, 0); !s.ok()) return s.error();
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
