// subsidy-decide: decides claims from files against the rules and prints each decision with its
// reasons. Claims are decided in order, each seeing the decisions before it, as the server will.
#include "engine/catalogue_parser.h"
#include "engine/claim_parser.h"
#include "engine/ledger.h"
#include "app/files.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <iostream>
#include <sstream>

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace json = boost::json;
using namespace subsidy;

namespace {

std::string yuan(const json::value& fen) { return format_yuan(Fen(fen.to_number<std::int64_t>())); }

void print_text(const json::object& d, std::ostream& out) {
  out << "#" << d.at("seq").to_number<std::int64_t>() << "  " << json::value_to<std::string>(d.at("claim_id")) << "  "
      << json::value_to<std::string>(d.at("program")) << " (" << json::value_to<std::string>(d.at("kind")) << ")  "
      << json::value_to<std::string>(d.at("outcome")) << "\n";
  out << "    requested " << yuan(d.at("requested_fen")) << " yuan, approved " << yuan(d.at("approved_fen")) << " yuan\n";
  for (const auto& x : d.at("disbursements").as_array()) {
    out << "    " << json::value_to<std::string>(x.at("kind")) << " " << yuan(x.at("amount_fen")) << " yuan\n";
  }
  for (const auto& l : d.at("lines").as_array()) {
    std::string rules;
    for (const auto& r : l.at("rules").as_array()) rules += (rules.empty() ? "" : ", ") + json::value_to<std::string>(r);
    out << "    line " << json::value_to<std::string>(l.at("subject")) << "  " << json::value_to<std::string>(l.at("status"))
        << "  " << yuan(l.at("approved_fen")) << " of " << yuan(l.at("requested_fen")) << "  [" << rules << "]\n";
  }
  for (const auto& r : d.at("reasons").as_array()) {
    out << "    reason " << json::value_to<std::string>(r.at("rule")) << " (" << json::value_to<std::string>(r.at("clause"))
        << ") " << json::value_to<std::string>(r.at("result")) << ": " << json::value_to<std::string>(r.at("message")) << "\n"
        << "           " << json::value_to<std::string>(r.at("message_zh"));
    if (!r.at("refs").as_array().empty()) out << "  refs " << json::serialize(r.at("refs"));
    out << "\n";
  }
}

struct Options {
  std::vector<fs::path> rules;
  std::string catalogue;
  bool as_json = false;
  std::vector<std::string> inputs;
};

// One input document: a claim, {"settle": claim_id, "request": {...}} or {"review": claim_id,
// "request": {...}}. Returns false when it was refused (invalid input, conflict).
bool decide_one(const json::value& doc, const std::string& where, Ledger& ledger, const Options& opt) {
  LedgerEntry entry;
  EvalStatus status;
  const json::object* o = doc.if_object();
  const json::value* settled = o ? o->if_contains("settle") : nullptr;
  const json::value* reviewed = o ? o->if_contains("review") : nullptr;
  if (settled || reviewed) {
    FollowUpKind kind = settled ? FollowUpKind::settlement : FollowUpKind::review;
    const json::value& id = settled ? *settled : *reviewed;
    auto parsed = parse_follow_up(kind, o->contains("request") ? o->at("request") : json::value());
    std::string name(follow_up_kind_names[static_cast<std::size_t>(kind)]);
    if (auto* p = std::get_if<Problems>(&parsed)) status = {EvalCode::invalid_input, "invalid " + name, *p};
    else if (!id.is_string()) status = {EvalCode::invalid_input, (settled ? "settle" : "review") + std::string(" must name a claim_id"), {}};
    else status = ledger.follow_up(id.as_string(), std::get<FollowUpRequest>(parsed), entry);
  } else {
    auto parsed = parse_claim(doc);
    if (auto* p = std::get_if<Problems>(&parsed)) status = {EvalCode::invalid_input, "invalid claim", *p};
    else status = ledger.submit(std::get<Claim>(parsed), entry);
  }
  if (!status.ok()) {
    std::cerr << where << ": " << status.message << "\n";
    for (const auto& p : status.problems) std::cerr << "    " << (p.pointer.empty() ? "/" : p.pointer) << ": " << p.message << "\n";
    return false;
  }
  if (opt.as_json) std::cout << json::serialize(entry.decision) << "\n";
  else print_text(entry.decision, std::cout);
  return true;
}

// Decides every document of one input file: a .jsonl file has one per line; a .json file holds
// one document or an array of them.
bool decide_file(const std::string& path, Ledger& ledger, const Options& opt) {
  std::string error;
  auto text = app::read_file(path, error);
  if (!text) { std::cerr << error << "\n"; return false; }
  bool all_ok = true;
  if (path.ends_with(".jsonl") || path == "-") {
    std::istringstream lines(*text);
    std::string line;
    for (int n = 1; std::getline(lines, line); ++n) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      auto doc = read_json(line);
      std::string where = path + ":" + std::to_string(n);
      if (auto* e = std::get_if<JsonSyntaxError>(&doc)) { std::cerr << where << ": " << e->message << "\n"; all_ok = false; continue; }
      all_ok = decide_one(std::get<json::value>(doc), where, ledger, opt) && all_ok;
    }
    return all_ok;
  }
  auto doc = read_json(*text);
  if (auto* e = std::get_if<JsonSyntaxError>(&doc)) { std::cerr << path << ": offset " << e->offset << ": " << e->message << "\n"; return false; }
  const json::value& v = std::get<json::value>(doc);
  if (!v.is_array()) return decide_one(v, path, ledger, opt);
  for (std::size_t i = 0; i < v.as_array().size(); ++i) all_ok = decide_one(v.as_array()[i], path + "/" + std::to_string(i), ledger, opt) && all_ok;
  return all_ok;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options(
      "Usage: subsidy-decide [--rules PATH]... [--catalogue FILE] [--json] CLAIMS...\n\n"
      "Decides claims against the subsidy rules and prints each decision with its reasons.\n"
      "CLAIMS are .json files (a claim, or an array of claims) or .jsonl files (one per line);\n"
      "'-' reads JSON Lines from standard input. A document {\"settle\": CLAIM_ID, \"request\": {...}}\n"
      "settles an earlier project_training claim; {\"review\": CLAIM_ID, \"request\": {\"lines\": [...],\n"
      "\"note\": ...}} is a clerk's review of its held lines. Claims are decided in order, each seeing the\n"
      "decisions before it; nothing is stored.\n\nOptions");
  Options opt;
  std::vector<std::string> rules;
  options.add_options()("help,h", "show this help")
      ("rules", po::value<std::vector<std::string>>(&rules), "a ruleset file or a directory of *.ruleset.json (default: rules)")
      ("catalogue", po::value<std::string>(&opt.catalogue), "catalogue file: institutions, projects, budgets (JSON)")
      ("json", "print decisions as JSON Lines instead of text")
      ("claims", po::value<std::vector<std::string>>(&opt.inputs), "claim files");
  po::positional_options_description positional;
  positional.add("claims", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-decide: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help") || opt.inputs.empty()) {
    std::cout << options << "\n";
    return vm.count("help") ? 0 : 2;
  }
  opt.as_json = vm.count("json") > 0;
  for (const auto& r : rules.empty() ? std::vector<std::string>{"rules"} : rules) opt.rules.emplace_back(r);
  auto rulesets = app::load_rulesets(opt.rules);
  if (auto* errors = std::get_if<std::vector<std::string>>(&rulesets)) {
    for (const auto& e : *errors) std::cerr << e << "\n";
    return 2;
  }
  MemoryCatalogue catalogue;
  if (!opt.catalogue.empty()) {
    std::string error;
    auto doc = app::read_json_file(opt.catalogue, error);
    if (!doc) { std::cerr << error << "\n"; return 2; }
    auto parsed = parse_catalogue_file(*doc);
    if (auto* problems = std::get_if<Problems>(&parsed)) {
      for (const auto& p : *problems) std::cerr << opt.catalogue << ": " << p.pointer << ": " << p.message << "\n";
      return 2;
    }
    catalogue = std::move(std::get<MemoryCatalogue>(parsed));
  }
  Ledger ledger(std::get<RulesetSet>(rulesets), catalogue);
  bool all_ok = true;
  for (const auto& input : opt.inputs) all_ok = decide_file(input, ledger, opt) && all_ok;
  return all_ok ? 0 : 1;
}
