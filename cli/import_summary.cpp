#include "cli/import_summary.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace subsidy::cli {

namespace {

namespace json = boost::json;

std::optional<std::uint64_t> count_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_uint64()) return v->get_uint64();
  if (v->is_int64() && v->get_int64() >= 0) return static_cast<std::uint64_t>(v->get_int64());
  return std::nullopt;
}

std::string string_member(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : "";
}

std::string counted(std::uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// The start of a body that is not what was expected, on one line, for the message.
std::string excerpt(std::string_view body) {
  std::string line(body.substr(0, std::min<std::size_t>(body.find('\n'), 200)));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
  return line.size() < body.size() ? line + "…" : line;
}

std::optional<json::object> parse_object(std::string_view body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_object()) return std::nullopt;
  return std::move(v.get_object());
}

// 201 and 200: {"seq", "sha256", "persons", "rows"}.
Summary imported(const HttpAnswer& answer) {
  auto o = parse_object(answer.body);
  std::optional<std::uint64_t> seq, persons, rows;
  std::string sha256;
  if (o) {
    seq = count_member(*o, "seq");
    persons = count_member(*o, "persons");
    rows = count_member(*o, "rows");
    sha256 = string_member(*o, "sha256");
  }
  if (!seq || !persons || !rows || sha256.empty()) {
    return {"the server answered " + std::to_string(answer.status) +
                " but not with the import's seq, sha256, persons and rows: " + excerpt(answer.body) + "\n",
            1};
  }
  if (answer.status == 201) {
    return {"imported " + counted(*persons, "person", "persons") + " from " + counted(*rows, "row", "rows") +
                " as record " + std::to_string(*seq) + " (sha256 " + sha256 + ")\n",
            0};
  }
  return {"already imported as record " + std::to_string(*seq) + ": same file (sha256 " + sha256 +
              "); nothing new logged\n",
          0};
}

// What to do about a refusal, when the status says it.
std::string hint(const HttpAnswer& answer) {
  switch (answer.status) {
    case 401: return "check the token (--token or SUBSIDY_TOKEN)\n";
    case 403: return "registry imports need an admin token\n";
    case 413: return "an import holds at most 1,000,000 rows: split the file\n";
    case 415: return "the server takes text/csv or application/x-ndjson (--format csv or jsonl)\n";
    case 503: {
      if (answer.retry_after.empty()) return "try again later\n";
      bool seconds = std::all_of(answer.retry_after.begin(), answer.retry_after.end(),
                                 [](unsigned char c) { return std::isdigit(c) != 0; });
      return seconds ? "try again in " + answer.retry_after + " s\n" : "try again after " + answer.retry_after + "\n";
    }
    default: return "";
  }
}

// Every problem of a 422, by line and column of the file.
std::string problem_lines(const json::array& errors) {
  std::string text;
  for (const json::value& e : errors) {
    if (!e.is_object()) continue;
    std::string place = problem_place(string_member(e.get_object(), "pointer"));
    std::string message = string_member(e.get_object(), "message");
    text += "  " + (place.empty() ? message : place + ": " + message) + "\n";
  }
  return text;
}

}  // namespace

std::string problem_place(std::string_view pointer) {
  if (pointer.empty()) return "";
  // RFC 6901: split at '/', then "~1" is '/' and "~0" is '~'.
  std::vector<std::string> tokens;
  for (std::size_t at = 1; at <= pointer.size();) {
    std::size_t end = std::min(pointer.find('/', at), pointer.size());
    std::string token;
    for (std::size_t i = at; i < end; ++i) {
      if (pointer[i] == '~' && i + 1 < end && (pointer[i + 1] == '0' || pointer[i + 1] == '1')) {
        token += pointer[++i] == '0' ? '~' : '/';
      } else {
        token += pointer[i];
      }
    }
    tokens.push_back(std::move(token));
    at = end + 1;
  }
  bool line = tokens.size() >= 2 && tokens.size() <= 3 && tokens[0] == "rows" && !tokens[1].empty() &&
              std::all_of(tokens[1].begin(), tokens[1].end(), [](unsigned char c) { return std::isdigit(c) != 0; });
  if (pointer[0] != '/' || !line || (tokens.size() == 3 && tokens[2].empty())) return std::string(pointer);
  return "line " + tokens[1] + (tokens.size() == 3 ? ", " + tokens[2] : "");
}

Summary summarize_answer(const HttpAnswer& answer) {
  if (answer.status == 201 || answer.status == 200) return imported(answer);
  auto problem = parse_object(answer.body);
  std::string detail = problem ? string_member(*problem, "detail") : "";
  if (answer.status == 422 && problem) {
    const json::value* errors = problem->if_contains("errors");
    if (errors != nullptr && errors->is_array() && !errors->get_array().empty()) {
      return {"the import was refused; nothing was imported:\n" + problem_lines(errors->get_array()), 1};
    }
  }
  std::string title = problem ? string_member(*problem, "title") : "";
  if (title.empty()) title = answer.reason;
  std::string text = "the server answered " + std::to_string(answer.status) + (title.empty() ? "" : " " + title);
  if (!detail.empty()) {
    text += ": " + detail;
  } else if (!problem && !answer.body.empty()) {
    text += ": " + excerpt(answer.body);
  }
  text += "\n";
  if (answer.status / 100 == 2) {
    text += "(not an answer this tool knows; the import may or may not have been logged)\n";
  } else if (answer.status / 100 == 4 || answer.status == 503) {
    text += "nothing was imported\n";
  }
  if (answer.status / 100 != 2 && !answer.whole_body_sent) {
    text += "(the server answered before it had the whole file)\n";
  }
  return {text + hint(answer), 1};
}

std::string describe_failure(const UploadError& error, std::string_view server, std::string_view file) {
  std::string url(server);
  switch (error.kind) {
    case UploadError::Kind::file: return std::string(file) + ": " + error.message + "\n";
    case UploadError::Kind::address:
      return "cannot reach " + url + ": " + error.message + " (check --server or SUBSIDY_SERVER)\n";
    case UploadError::Kind::refused:
      return "cannot connect to " + url + ": connection refused. Is subsidyd running there? Start it " +
             "(tools/run.sh, or subsidyd), or name the right server with --server URL or SUBSIDY_SERVER.\n";
    case UploadError::Kind::connect: return "cannot connect to " + url + ": " + error.message + "\n";
    case UploadError::Kind::tls:
      return "no secure connection to " + url + ": " + error.message +
             " (a server whose certificate a private CA signed: --ca-file FILE)\n";
    case UploadError::Kind::transfer:
      // Sending again is the remedy: the server answers a file it has imported with 200, once.
      return "sending " + std::string(file) + " to " + url + " failed: " + error.message +
             ". Sending it again is safe: a file already imported is not logged twice.\n";
  }
  return url + ": " + error.message + "\n";
}

}  // namespace subsidy::cli
