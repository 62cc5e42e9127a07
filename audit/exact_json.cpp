#include "audit/exact_json.h"

#include "audit/canonical_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <exception>
#include <memory>
#include <new>
#include <set>
#include <string>
#include <vector>

namespace subsidy::audit {
namespace {

namespace json = boost::json;

// Boost.JSON's own value-building handler (detail/handler.hpp), with exact doubles and a
// duplicate check. A false return stops the parser; `problem` then says why.
struct ExactHandler {
  static constexpr std::size_t max_object_size = json::object::max_size();
  static constexpr std::size_t max_array_size = json::array::max_size();
  static constexpr std::size_t max_key_size = json::string::max_size();
  static constexpr std::size_t max_string_size = json::string::max_size();

  // Member names seen, per open object: appended to one buffer and compared one by one while an
  // object is small (no allocation per name); a set once it has more than small_object names.
  static constexpr std::size_t small_object = 16;
  struct OpenObject {
    std::size_t first_name = 0;  // index into name_ends of its first name
    std::size_t text_start = 0;  // where its names start in name_text
    std::unique_ptr<std::set<std::string, std::less<>>> many;
  };

  explicit ExactHandler(json::storage_ptr sp) : st(std::move(sp)) {}

  json::value_stack st;
  std::string number;  // the text of the number being read
  std::string key;     // the member name being read
  std::string name_text;
  std::vector<std::size_t> name_ends;  // end of each name in name_text
  std::vector<OpenObject> objects;
  std::string problem;

  // False if the open object already has a member named key.
  bool add_name() {
    OpenObject& o = objects.back();
    const std::size_t count = name_ends.size() - o.first_name;
    if (o.many) return o.many->insert(key).second;
    std::size_t start = o.text_start;
    for (std::size_t i = o.first_name; i < name_ends.size(); ++i) {
      if (std::string_view(name_text).substr(start, name_ends[i] - start) == key) return false;
      start = name_ends[i];
    }
    name_text += key;
    name_ends.push_back(name_text.size());
    if (count + 1 > small_object) {
      o.many = std::make_unique<std::set<std::string, std::less<>>>();
      start = o.text_start;
      for (std::size_t i = o.first_name; i < name_ends.size(); ++i) {
        o.many->emplace(std::string_view(name_text).substr(start, name_ends[i] - start));
        start = name_ends[i];
      }
    }
    return true;
  }

  bool fail(json::error_code& ec, std::string why) {
    problem = std::move(why);
    ec = json::error::syntax;
    return false;
  }

  bool on_document_begin(json::error_code&) { return true; }
  bool on_document_end(json::error_code&) { return true; }
  bool on_object_begin(json::error_code&) {
    objects.push_back({name_ends.size(), name_text.size(), nullptr});
    return true;
  }
  bool on_object_end(std::size_t n, json::error_code&) {
    name_ends.resize(objects.back().first_name);
    name_text.resize(objects.back().text_start);
    objects.pop_back();
    st.push_object(n);
    return true;
  }
  bool on_array_begin(json::error_code&) { return true; }
  bool on_array_end(std::size_t n, json::error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(json::string_view s, std::size_t, json::error_code&) {
    key.append(s.data(), s.size());
    st.push_chars(s);
    return true;
  }
  bool on_key(json::string_view s, std::size_t, json::error_code& ec) {
    key.append(s.data(), s.size());
    const bool fresh = add_name();
    key.clear();
    if (!fresh) return fail(ec, "duplicate member name");
    st.push_key(s);
    return true;
  }
  bool on_string_part(json::string_view s, std::size_t, json::error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(json::string_view s, std::size_t, json::error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(json::string_view s, json::error_code&) {
    number.append(s.data(), s.size());
    return true;
  }
  bool on_int64(std::int64_t i, json::string_view, json::error_code&) {
    number.clear();
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, json::string_view, json::error_code&) {
    number.clear();
    st.push_uint64(u);
    return true;
  }
  bool on_double(double, json::string_view s, json::error_code& ec) {
    number.append(s.data(), s.size());
    double exact = 0;
    const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), exact);
    const bool whole = error == std::errc() && end == number.data() + number.size();
    number.clear();
    if (!whole) return fail(ec, "number is beyond the range of a double");
    st.push_double(exact);
    return true;
  }
  bool on_bool(bool b, json::error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(json::error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(json::string_view, json::error_code&) { return true; }
  bool on_comment(json::string_view, json::error_code&) { return true; }
};

Result<json::value> parse_document(std::string_view text, json::storage_ptr sp) {
  json::parse_options options;
  options.max_depth = canonical_depth_max;
  json::basic_parser<ExactHandler> parser(options, sp);
  parser.handler().st.reset(sp);
  json::error_code ec;
  const std::size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (!ec && used != text.size()) ec = json::error::extra_data;
  if (ec) {
    const std::string& problem = parser.handler().problem;
    return make_error(ErrorCode::invalid_argument,
                      "invalid JSON: " + (problem.empty() ? ec.message() : problem));
  }
  return parser.handler().st.release();
}

}  // namespace

// Boost.JSON reports limits it meets inside a handler (sizes beyond max_size()) by throwing;
// they are converted here, at the edge of the library.
Result<boost::json::value> parse_exact_json(std::string_view text) { return parse_exact_json(text, {}); }

Result<boost::json::value> parse_exact_json(std::string_view text, boost::json::storage_ptr sp) {
  try {
    return parse_document(text, std::move(sp));
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    return make_error(ErrorCode::invalid_argument, std::string("invalid JSON: ") + e.what());
  }
}

}  // namespace subsidy::audit
