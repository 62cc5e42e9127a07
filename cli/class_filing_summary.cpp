#include "cli/class_filing_summary.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <optional>

namespace subsidy::cli {

namespace {

namespace json = boost::json;

std::optional<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

std::string string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

std::optional<std::uint64_t> seq_member(const json::object& o) {
  const json::value* v = o.if_contains("seq");
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() > 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::string counted(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// What to do about a refusal, when the status says it.
std::string hint(unsigned status) {
  switch (status) {
    case 401: return "  check the token (--token or SUBSIDY_TOKEN)\n";
    case 403: return "  an institution's token files only its own classes; a clerk's files any; others none\n";
    case 409: return "  a class_id is filed once: file a changed class under a new class_id\n";
    case 503: return "  the server is busy or cannot write its log: run the command again (filed lines answer 200)\n";
    default: return "";
  }
}

}  // namespace

FilingSummary summarize_filing(std::size_t line, const HttpAnswer& answer) {
  const std::string at = "line " + std::to_string(line) + ": ";
  std::optional<json::object> body = parse_object(answer.body);
  if ((answer.status == 201 || answer.status == 200) && body) {
    std::string class_id = string_member(*body, "class_id");
    std::optional<std::uint64_t> seq = seq_member(*body);
    if (!class_id.empty() && seq) {
      if (answer.status == 201) return {FilingResult::filed, at + "filed " + class_id + " as record " + std::to_string(*seq) + "\n"};
      return {FilingResult::filed_before,
              at + class_id + " was filed before as record " + std::to_string(*seq) + " (the same filing); nothing new logged\n"};
    }
  }
  std::string title = body ? string_member(*body, "title") : "";
  if (title.empty()) title = answer.reason;
  std::string detail = body ? string_member(*body, "detail") : "";
  std::string text = at + "refused, " + std::to_string(answer.status) + (title.empty() ? "" : " " + title) +
                     (detail.empty() ? "" : ": " + detail) + "\n";
  if (body) {
    if (const json::value* errors = body->if_contains("errors"); errors != nullptr && errors->is_array()) {
      for (const json::value& e : errors->get_array()) {
        if (!e.is_object()) continue;
        std::string pointer = string_member(e.get_object(), "pointer");
        text += "  " + (pointer.empty() ? "" : pointer + ": ") + string_member(e.get_object(), "message") + "\n";
      }
    }
  }
  return {FilingResult::refused, text + hint(answer.status)};
}

std::string filing_totals(std::size_t filed, std::size_t before, std::size_t refused) {
  return "filed " + counted(filed, "class", "classes") + ", " + std::to_string(before) + " filed before, " +
         std::to_string(refused) + " refused\n";
}

}  // namespace subsidy::cli
