// subsidy-admin: the administrator's tool. API tokens (api.md "Roles"), against the database: a
// token is shown once, when created; the store keeps only the SHA-256 of its secret. Registry
// imports (registry.md §1), against a running server: the export file is streamed to
// POST /v1/registry/imports as it is, and the answer summarized. Class filings (registry.md §2):
// each line of a JSON Lines file is one POST /v1/classes body, posted in order and answered line
// by line.
//
//   subsidy-admin [--database URL] tokens create --role clerk|institution|auditor|admin
//                                                [--credit-code CODE] [--label TEXT]
//   subsidy-admin [--database URL] tokens list
//   subsidy-admin [--database URL] tokens revoke ID
//   subsidy-admin registry import FILE [--server URL] [--token TOKEN] [--format csv|jsonl]
//                                      [--ca-file FILE]
//   subsidy-admin classes file FILE.jsonl [--server URL] [--token TOKEN] [--ca-file FILE]
//
// A revoked token stops working on a running server within api/token_authenticator.h's cache
// time (2 s). registry import exits 0 when the file is in the registry (imported now, or before:
// the same SHA-256), 1 when it is not, 2 for bad arguments. classes file exits 0 when every line
// is filed (now or before, with the same body), 1 when one is not.

#include "cli/class_filing_summary.h"
#include "cli/http_upload.h"
#include "cli/import_format.h"
#include "cli/import_summary.h"
#include "cli/progress_bar.h"
#include "cli/repr_digest.h"
#include "cli/server_url.h"
#include "store/clock.h"
#include "store/token_store.h"

#include <boost/program_options.hpp>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace {

namespace po = boost::program_options;
using namespace subsidy;

constexpr const char* usage =
    "usage: subsidy-admin [--database URL] tokens create --role clerk|institution|auditor|admin\n"
    "                                                    [--credit-code CODE] [--label TEXT]\n"
    "       subsidy-admin [--database URL] tokens list\n"
    "       subsidy-admin [--database URL] tokens revoke ID\n"
    "       subsidy-admin registry import FILE [--server URL] [--token TOKEN] [--format csv|jsonl]\n"
    "                                          [--ca-file FILE]\n"
    "       subsidy-admin classes file FILE.jsonl [--server URL] [--token TOKEN] [--ca-file FILE]\n";

int fail(const std::string& message, int code = 1) {
  std::cerr << "subsidy-admin: " << message << '\n';
  return code;
}

int create(store::TokenStore& tokens, const po::variables_map& vm) {
  if (!vm.count("role")) return fail("tokens create needs --role", 2);
  auto role = store::parse_role(vm["role"].as<std::string>());
  if (!role) return fail("unknown role " + vm["role"].as<std::string>() + " (clerk, institution, auditor, admin)", 2);
  std::string code = vm.count("credit-code") ? vm["credit-code"].as<std::string>() : "";
  std::string label = vm.count("label") ? vm["label"].as<std::string>() : "";
  store::SystemClock clock;
  auto made = tokens.create(*role, code, label, clock);
  if (!made.ok()) return fail(made.error().message);
  const store::NewToken& t = made.value();
  std::cout << "id      " << t.info.id << "\nrole    " << store::role_name(t.info.role) << '\n';
  if (!t.info.credit_code.empty()) std::cout << "entity  " << t.info.credit_code << '\n';
  std::cout << "token   " << t.bearer << "\n(shown once: only its hash is stored)\n";
  return 0;
}

int list(store::TokenStore& tokens) {
  auto all = tokens.list();
  if (!all.ok()) return fail(all.error().message);
  std::cout << "id                role         credit_code         created_at            revoked_at            label\n";
  for (const store::TokenInfo& t : all.value()) {
    std::string role(store::role_name(t.role));
    std::cout << t.id << "  " << role << std::string(role.size() < 13 ? 13 - role.size() : 1, ' ')
              << (t.credit_code.empty() ? std::string(18, '-') : t.credit_code) << "  " << t.created_at << "  "
              << (t.revoked_at.empty() ? "active              " : t.revoked_at) << "  " << t.label << '\n';
  }
  return 0;
}

// The server, token and CA file of a command that talks to subsidyd, or why not (exit 2).
struct Connection {
  cli::ServerUrl server;
  std::string token;
  std::string ca_file;
};

std::optional<Connection> connection(const po::variables_map& vm, const char* needs, std::string& error) {
  std::optional<cli::ServerUrl> server = cli::parse_server_url(vm["server"].as<std::string>(), error);
  if (!server) return std::nullopt;
  const char* env_token = std::getenv("SUBSIDY_TOKEN");
  std::string token = vm.count("token") ? vm["token"].as<std::string>() : env_token ? env_token : "";
  if (token.empty()) {
    error = std::string(needs) + ": --token TOKEN or SUBSIDY_TOKEN";
    return std::nullopt;
  }
  std::string ca_file = vm.count("ca-file") ? vm["ca-file"].as<std::string>() : "";
  if (!ca_file.empty() && !server->tls) {
    error = "--ca-file is for https:// servers";
    return std::nullopt;
  }
  return Connection{*server, token, ca_file};
}

// POST the file to the server, streamed, with the progress on standard error when it is a terminal.
int import_registry(const po::variables_map& vm, const std::string& file) {
  std::string error;
  std::string format_option = vm.count("format") ? vm["format"].as<std::string>() : "";
  std::optional<cli::ImportFormat> format = cli::import_format(format_option, file, error);
  if (!format) return fail(error, 2);
  std::optional<Connection> to = connection(vm, "registry import needs an admin token", error);
  if (!to) return fail(error, 2);

  cli::UploadRequest request;
  request.server = to->server;
  request.target = to->server.target("/v1/registry/imports");
  request.bearer = to->token;
  request.content_type = std::string(cli::content_type(*format));
  request.file = file;
  request.ca_file = to->ca_file;
  // A file the server imported before is then answered without its body being read again.
  if (std::optional<std::string> digest = cli::file_repr_digest(file)) request.repr_digest = *digest;
  cli::ProgressBar bar(std::cerr, ::isatty(STDERR_FILENO) == 1);
  using Clock = cli::ProgressBar::Clock;
  cli::UploadObserver observer;
  observer.started = [&](std::uint64_t total) { bar.start(total, Clock::now()); };
  observer.sent = [&](std::uint64_t sent) { bar.update(sent, Clock::now()); };
  observer.body_sent = [&] { bar.body_sent(Clock::now()); };
  cli::UploadResult result = cli::upload_file(request, observer);
  bar.interrupt();
  if (const auto* failure = std::get_if<cli::UploadError>(&result)) {
    std::cerr << "subsidy-admin: " << cli::describe_failure(*failure, to->server.text, file);
    return 1;
  }
  cli::Summary summary = cli::summarize_answer(std::get<cli::HttpAnswer>(result));
  std::cout << summary.text << std::flush;
  return summary.exit_code;
}

// POST each non-blank line of a JSON Lines file to /v1/classes, in order; one summary per line.
int file_classes(const po::variables_map& vm, const std::string& file) {
  std::string error;
  std::optional<Connection> to = connection(vm, "classes file needs a clerk's or the institution's token", error);
  if (!to) return fail(error, 2);
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(file + ": cannot be opened", 2);
  cli::UploadRequest request;
  request.server = to->server;
  request.target = to->server.target("/v1/classes");
  request.bearer = to->token;
  request.content_type = "application/json";
  request.ca_file = to->ca_file;
  std::size_t counts[3] = {0, 0, 0};  // by cli::FilingResult
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    cli::UploadResult result = cli::post_bytes(request, line);
    if (const auto* failure = std::get_if<cli::UploadError>(&result)) {
      std::cout << cli::filing_totals(counts[0], counts[1], counts[2]) << std::flush;
      std::cerr << "subsidy-admin: line " << number << ": " << cli::describe_failure(*failure, to->server.text, file)
                << "Running the command again is safe: a line filed before answers 200.\n";
      return 1;
    }
    cli::FilingSummary summary = cli::summarize_filing(number, std::get<cli::HttpAnswer>(result));
    ++counts[static_cast<int>(summary.result)];
    std::cout << summary.text;
  }
  std::cout << cli::filing_totals(counts[0], counts[1], counts[2]) << std::flush;
  return counts[2] == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("options");
  const char* env_database = std::getenv("SUBSIDY_DATABASE");
  const char* env_server = std::getenv("SUBSIDY_SERVER");
  // clang-format off
  options.add_options()
    ("help,h", "this help")
    ("database", po::value<std::string>()->default_value(env_database ? env_database : "sqlite://./data/subsidy.db"),
     "the server's database (as subsidyd --database; SUBSIDY_DATABASE)")
    ("role", po::value<std::string>(), "tokens create: clerk, institution, auditor or admin")
    ("credit-code", po::value<std::string>(), "tokens create: the institution's unified social credit code")
    ("label", po::value<std::string>(), "tokens create: a note saying whose token it is")
    ("server", po::value<std::string>()->default_value(env_server ? env_server : "http://127.0.0.1:8080"),
     "registry import, classes file: the running server, http:// or https:// (SUBSIDY_SERVER)")
    ("token", po::value<std::string>(),
     "registry import: an admin token; classes file: a clerk's or the institution's (SUBSIDY_TOKEN, "
     "which keeps it out of the process list)")
    ("format", po::value<std::string>(), "registry import: csv or jsonl (default: from the extension, "
     ".csv or .jsonl/.ndjson)")
    ("ca-file", po::value<std::string>(), "over https: trust this CA's certificates "
     "(PEM) instead of the system's")
    ("command", po::value<std::vector<std::string>>(), "tokens create | list | revoke ID; registry import FILE; "
     "classes file FILE");
  // clang-format on
  po::positional_options_description positional;
  positional.add("command", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    return fail(std::string(e.what()) + "\n" + usage, 2);
  }
  if (vm.count("help")) {
    std::cout << usage << '\n' << options;
    return 0;
  }
  std::vector<std::string> command = vm.count("command") ? vm["command"].as<std::vector<std::string>>()
                                                         : std::vector<std::string>{};
  if (command.size() == 3 && command[0] == "registry" && command[1] == "import") return import_registry(vm, command[2]);
  if (command.size() == 3 && command[0] == "classes" && command[1] == "file") return file_classes(vm, command[2]);
  if (command.size() < 2 || command[0] != "tokens") return fail(usage, 2);
  auto tokens = store::TokenStore::open(vm["database"].as<std::string>());
  if (!tokens.ok()) return fail(tokens.error().message);
  if (command[1] == "create" && command.size() == 2) return create(*tokens.value(), vm);
  if (command[1] == "list" && command.size() == 2) return list(*tokens.value());
  if (command[1] == "revoke" && command.size() == 3) {
    store::SystemClock clock;
    auto revoked = tokens.value()->revoke(command[2], clock);
    if (!revoked.ok()) return fail(revoked.error().message);
    std::cout << "revoked " << command[2] << '\n';
    return 0;
  }
  return fail(usage, 2);
}
