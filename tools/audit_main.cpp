// subsidy-audit: the auditor's tool. Replays a decision log without the server: re-verifies the
// hash chain and re-decides every claim with the exact rules it was decided under. Also exports a
// log as JSON Lines.
#include "audit/canonical_json.h"
#include "engine/sha256.h"
#include "store/connection.h"
#include "store/log_store.h"
#include "store/record_format.h"
#include "tools/common/files.h"
#include "tools/common/replay.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <unistd.h>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace subsidy;

namespace {

constexpr const char* replay_help =
    "Usage: subsidy-audit replay (--database URL | --jsonl FILE --rules PATH...) [--json]\n"
    "\n"
    "Checks, without the server and without trusting it, that a decision log is intact and that\n"
    "every decision in it is exactly what the rules produce. It:\n"
    "  1. reads every record in order of its number (seq), from 1 with no gaps, and recomputes\n"
    "     each record's SHA-256 hash over the previous record's hash and the record's own text:\n"
    "     any record changed, removed, inserted or reordered breaks this chain at that seq;\n"
    "  2. decides every claim and settlement again, in seq order, starting from an empty history,\n"
    "     under the exact ruleset texts the record names by their SHA-256 (stored with the log);\n"
    "  3. compares each recomputed decision with the logged one, member by member (outcome,\n"
    "     amounts, lines, reasons, disbursements, rulesets).\n"
    "It prints a summary and exits 0 when everything matches; any finding is printed with the\n"
    "seq of the record and the field (a JSON Pointer such as /decision/approved_fen), and the exit\n"
    "status is 1. Exit status 2: the log could not be opened or the options are wrong.\n"
    "\n"
    "Not yet verified: the Merkle root against a signed head (a log cut short or rewritten from\n"
    "some seq on with fresh hashes needs the signed head to be caught), catalogue and budget\n"
    "records (decisions are re-evaluated against an empty catalogue), and reviews.\n"
    "\n"
    "URL: sqlite:///path/to/log.db or postgresql://user@host/dbname. A JSON Lines export\n"
    "(subsidy-audit export, or GET /v1/audit/log) holds the records but not the ruleset texts:\n"
    "give the ruleset files with --rules; each is matched by its SHA-256.\n\nOptions";

// Opens an existing log. A SQLite file that does not exist is an error here: opening would
// create an empty log, which would replay "clean".
std::unique_ptr<store::LogStore> open_store(const std::string& url) {
  auto setting = store::parse_connection_url(url);
  if (!setting.ok()) {
    std::cerr << "subsidy-audit: " << setting.error().message << "\n";
    return nullptr;
  }
  std::error_code ec;
  if (setting.value().backend == store::Backend::sqlite && !fs::exists(setting.value().target, ec)) {
    std::cerr << "subsidy-audit: no database file " << setting.value().target << "\n";
    return nullptr;
  }
  auto store = store::LogStore::open(url);
  if (!store.ok()) {
    std::cerr << "subsidy-audit: cannot open " << url << ": " << store.error().message << "\n";
    return nullptr;
  }
  return std::move(store.value());
}

void print_summary(const tools::ReplayReport& report, std::ostream& out) {
  out << "records: " << report.records << " (" << report.decisions << " decisions re-evaluated)\n";
  if (report.records != 0) out << "last record: seq " << report.last_seq << ", hash " << report.last_hash << "\n";
  if (report.clean()) {
    out << "clean: every hash and the chain verify, and every decision re-evaluates identically\n";
    return;
  }
  out << "FINDINGS: " << report.findings.size() << " (first divergence at seq " << report.findings.front().seq << ")\n";
  for (const auto& f : report.findings) out << "  seq " << f.seq << "  " << f.field << ": " << f.message << "\n";
}

int replay_command(const std::vector<std::string>& args) {
  po::options_description options(replay_help);
  std::string database, jsonl, hash_alg_name = "sha256";
  std::vector<std::string> rules;
  options.add_options()("help,h", "show this help")
      ("database", po::value<std::string>(&database), "the log's database (sqlite:// or postgresql:// URL)")
      ("jsonl", po::value<std::string>(&jsonl), "a JSON Lines export of the log ('-': standard input)")
      ("rules", po::value<std::vector<std::string>>(&rules), "with --jsonl: ruleset files or directories")
      ("hash-alg", po::value<std::string>(&hash_alg_name), "with --jsonl: the log's hash algorithm (sha256, sm3)")
      ("json", "print the report as JSON instead of text");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-audit replay: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  if (database.empty() == jsonl.empty()) {
    std::cerr << "subsidy-audit replay: give exactly one of --database and --jsonl (see --help)\n";
    return 2;
  }
  bool as_json = vm.count("json") > 0;
  tools::ReplayOptions opt;
  bool bar = isatty(STDERR_FILENO) != 0;
  if (bar) {
    opt.progress = [](std::uint64_t seq) {
      if (seq % 1000 == 0) std::cerr << "\rreplaying: " << seq << " records" << std::flush;
    };
  }
  tools::ReplayReport report;
  if (!database.empty()) {
    auto store = open_store(database);
    if (!store) return 2;
    report = tools::replay(*store, opt);
  } else {
    auto alg = audit::parse_hash_alg(hash_alg_name);
    if (!alg) {
      std::cerr << "subsidy-audit replay: unknown hash algorithm " << hash_alg_name << "\n";
      return 2;
    }
    std::map<std::string, std::string> texts;
    for (const auto& r : rules) {
      std::vector<fs::path> files;
      std::error_code ec;
      if (fs::is_directory(r, ec)) {
        for (const auto& e : fs::recursive_directory_iterator(r, ec)) {
          if (e.is_regular_file() && e.path().string().ends_with(".ruleset.json")) files.push_back(e.path());
        }
      } else {
        files.emplace_back(r);
      }
      for (const auto& f : files) {
        std::string error;
        auto text = tools::read_file(f, error);
        if (!text) {
          std::cerr << "subsidy-audit replay: " << error << "\n";
          return 2;
        }
        texts[sha256_hex(*text)] = std::move(*text);
      }
    }
    tools::RulesetTexts lookup = [&texts](const std::string& sha) -> std::optional<std::string> {
      auto it = texts.find(sha);
      if (it == texts.end()) return std::nullopt;
      return it->second;
    };
    if (jsonl == "-") {
      report = tools::replay_jsonl(std::cin, *alg, lookup, opt);
    } else {
      std::ifstream in(jsonl, std::ios::binary);
      if (!in) {
        std::cerr << "subsidy-audit replay: cannot read " << jsonl << "\n";
        return 2;
      }
      report = tools::replay_jsonl(in, *alg, lookup, opt);
    }
  }
  if (bar) std::cerr << "\r\033[K" << std::flush;
  if (as_json) std::cout << json::serialize(tools::report_to_json(report)) << "\n";
  else print_summary(report, std::cout);
  return report.clean() ? 0 : 1;
}

int export_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: subsidy-audit export --database URL\n\n"
      "Writes every record of the log to standard output as JSON Lines, in seq order: each line is\n"
      "the record as stored (RFC 8785 canonical JSON) with its \"hash\" added. The chain is verified\n"
      "while reading; a broken chain stops the export with exit status 1.\n\nOptions");
  std::string database;
  options.add_options()("help,h", "show this help")("database", po::value<std::string>(&database), "the log's database URL");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-audit export: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  if (database.empty()) {
    std::cerr << "subsidy-audit export: --database is required\n";
    return 2;
  }
  auto store = open_store(database);
  if (!store) return 2;
  for (std::uint64_t from = 1;;) {
    auto page = store->read(from, store::record_format::read_records_max);
    if (!page.ok()) {
      std::cerr << "subsidy-audit export: seq " << page.error().seq << ": " << page.error().message << "\n";
      return 1;
    }
    if (page.value().empty()) break;
    for (const auto& row : page.value()) {
      auto object = store::record_with_hash(row);
      if (!object.ok()) {
        std::cerr << "subsidy-audit export: seq " << row.seq << ": " << object.error().message << "\n";
        return 1;
      }
      auto text = audit::canonical_json(object.value());
      if (!text.ok()) {
        std::cerr << "subsidy-audit export: seq " << row.seq << ": " << text.error().message << "\n";
        return 1;
      }
      std::cout << text.value() << "\n";
    }
    from = page.value().back().seq + 1;
  }
  return std::cout.good() ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* usage =
      "Usage: subsidy-audit COMMAND [OPTIONS]\n\n"
      "Commands:\n"
      "  replay   verify a decision log: hash chain, and every decision re-evaluated under its rules\n"
      "  export   write a log as JSON Lines\n\n"
      "subsidy-audit COMMAND --help explains each command.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "replay") return replay_command(args);
  if (command == "export") return export_command(args);
  std::cerr << "subsidy-audit: unknown command " << command << "\n" << usage;
  return 2;
}
