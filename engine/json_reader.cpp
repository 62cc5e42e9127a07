#include "engine/json_reader.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/error.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace subsidy {
namespace {

namespace json = boost::json;

// Where the parser is inside one open array or object: enough to name the JSON Pointer of a
// duplicate key, and the keys seen so far in an object.
struct Frame {
  bool is_object = false;
  std::size_t index = 0;  // array: the index of the element being read
  std::string key;        // object: the key of the member being read
  std::unordered_set<std::string> keys;
};

// Builds the value exactly as boost::json::parser does (through a value_stack), and in addition
// refuses a duplicate key, which boost::json (1.81) would silently resolve to one of the values.
// The depth bound is basic_parser's own max_depth, checked before it descends, so the stack of
// frames and the parser's recursion never exceed json_depth_max.
class StrictHandler {
 public:
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  // The parser and this handler are kept per thread (read_json), so a document starts from
  // nothing that an earlier one, finished or refused, left behind.
  bool on_document_begin(json::error_code&) {
    stack_.reset(storage_);
    depth_ = 0;
    key_part_.clear();
    refusal_.reset();
    return true;
  }
  bool on_document_end(json::error_code&) { return true; }

  bool on_object_begin(json::error_code&) { return open(true); }
  bool on_object_end(std::size_t n, json::error_code&) {
    stack_.push_object(n);
    return close();
  }
  bool on_array_begin(json::error_code&) { return open(false); }
  bool on_array_end(std::size_t n, json::error_code&) {
    stack_.push_array(n);
    return close();
  }

  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    key_part_.append(s.data(), s.size());
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    stack_.push_key(s);
    key_part_.append(s.data(), s.size());
    return accept_key(ec);
  }

  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    stack_.push_string(s);
    return scalar_done();
  }
  bool on_number_part(json::string_view, json::error_code&) { return true; }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    stack_.push_int64(i);
    return scalar_done();
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    stack_.push_uint64(u);
    return scalar_done();
  }
  bool on_double(double d, json::string_view, json::error_code& ec) {
    // Boost reads 1e400 as infinity, which has no JSON form: the value could not be logged or
    // echoed back as the client sent it.
    if (!std::isfinite(d)) return refuse("number out of range", ec);
    stack_.push_double(d);
    return scalar_done();
  }
  bool on_bool(bool b, json::error_code&) {
    stack_.push_bool(b);
    return scalar_done();
  }
  bool on_null(json::error_code&) {
    stack_.push_null();
    return scalar_done();
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }

  // Where the next document's values are allocated.
  void use_storage(json::storage_ptr storage) { storage_ = std::move(storage); }
  json::value release() {
    storage_ = {};  // the value owns its storage now; the handler keeps no share of it
    return stack_.release();
  }
  // Why the handler stopped the parse (a duplicate key, a number out of range), else nullopt.
  const std::optional<JsonSyntaxError>& refusal() const { return refusal_; }

 private:
  bool open(bool is_object) {
    // Frames are kept when closed so that their key sets are reused, not reallocated.
    if (depth_ == frames_.size()) frames_.emplace_back();
    Frame& frame = frames_[depth_++];
    frame.is_object = is_object;
    frame.index = 0;
    frame.key.clear();
    frame.keys.clear();
    return true;
  }
  bool close() {
    --depth_;
    return scalar_done();
  }
  // A value is complete: the enclosing array moves to its next index.
  bool scalar_done() {
    if (depth_ > 0 && !frames_[depth_ - 1].is_object) ++frames_[depth_ - 1].index;
    return true;
  }
  bool accept_key(json::error_code& ec) {
    Frame& frame = frames_[depth_ - 1];
    frame.key = std::move(key_part_);
    key_part_.clear();
    if (frame.keys.insert(frame.key).second) return true;
    return refuse("duplicate key " + json::serialize(json::string_view(frame.key)), ec);
  }
  bool refuse(std::string message, json::error_code& ec) {
    refusal_ = JsonSyntaxError{0, std::move(message), current_pointer()};
    ec = json::error::syntax;  // any code stops the parse; refusal_ says why
    return false;
  }
  std::string current_pointer() const {
    std::string pointer;
    for (std::size_t i = 0; i < depth_; ++i) {
      const Frame& frame = frames_[i];
      pointer = frame.is_object ? pointer_append(pointer, frame.key)
                                : pointer_append(pointer, frame.index);
    }
    return pointer;
  }

  json::storage_ptr storage_;
  json::value_stack stack_;
  std::vector<Frame> frames_;
  std::size_t depth_ = 0;
  std::string key_part_;
  std::optional<JsonSyntaxError> refusal_;
};

}  // namespace

// Boost validates UTF-8 too, but reports it as a plain syntax error; this names the real cause.
std::size_t invalid_utf8_offset(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto b0 = static_cast<unsigned char>(text[i]);
    if (b0 < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = b0 >= 0xC2 && b0 <= 0xDF   ? 2
                         : b0 >= 0xE0 && b0 <= 0xEF ? 3
                         : b0 >= 0xF0 && b0 <= 0xF4 ? 4
                                                    : 0;
    if (length == 0 || i + length > text.size()) return i;
    auto b1 = static_cast<unsigned char>(text[i + 1]);
    // The second byte's range is where overlong forms, surrogates and > U+10FFFF are excluded.
    unsigned char low = b0 == 0xE0 ? 0xA0 : b0 == 0xF0 ? 0x90 : 0x80;
    unsigned char high = b0 == 0xED ? 0x9F : b0 == 0xF4 ? 0x8F : 0xBF;
    if (b1 < low || b1 > high) return i;
    for (std::size_t k = 2; k < length; ++k) {
      auto b = static_cast<unsigned char>(text[i + k]);
      if (b < 0x80 || b > 0xBF) return i;
    }
    i += length;
  }
  return text.size();
}

namespace {

std::string message_for(const json::error_code& ec) {
  if (ec == json::error::too_deep) return "nesting deeper than " + std::to_string(json_depth_max);
  if (ec == json::error::incomplete) return "the JSON text ends early";
  if (ec == json::error::exponent_overflow) return "a number's exponent is too large";
  if (ec == json::error::illegal_leading_surrogate ||
      ec == json::error::illegal_trailing_surrogate) {
    return "a \\u escape is not a valid surrogate pair";
  }
  if (ec == json::error::expected_hex_digit) return "a \\u escape needs four hex digits";
  return "not valid JSON (" + ec.message() + ")";
}

JsonSyntaxError error_at(std::size_t offset, std::string message, std::string pointer = {}) {
  return JsonSyntaxError{offset, std::move(message), std::move(pointer)};
}

json::parse_options strict_options() {
  json::parse_options options;
  options.max_depth = json_depth_max;
  return options;
}

}  // namespace

std::variant<boost::json::value, JsonSyntaxError> read_json(std::string_view text, boost::json::storage_ptr storage) {
  // One parser per thread, reused: its buffers and the handler's frames are allocated once, not
  // per request (the eligibility benchmark's profile: a fifth of the HTTP threads' time was malloc).
  thread_local json::basic_parser<StrictHandler> parser(strict_options());
  parser.reset();
  parser.handler().use_storage(std::move(storage));
  json::error_code ec;
  std::size_t consumed = parser.write_some(false, text.data(), text.size(), ec);
  // Boost validates UTF-8 as well but calls it a syntax error; a bad byte where parsing failed
  // or before is the real cause. One after a complete value is text after the value.
  std::size_t bad_utf8 = invalid_utf8_offset(text);
  if (bad_utf8 < text.size() && (ec ? bad_utf8 <= consumed : bad_utf8 < consumed)) {
    return error_at(bad_utf8, "invalid UTF-8");
  }
  if (ec) {
    if (auto refusal = parser.handler().refusal()) {
      refusal->offset = consumed;
      return *refusal;
    }
    return error_at(consumed, message_for(ec));
  }
  if (consumed != text.size()) return error_at(consumed, "text after the JSON value");
  return parser.handler().release();
}

}  // namespace subsidy
