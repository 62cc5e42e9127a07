// subsidy-audit: the auditor's tool. Replays a decision log without the server: re-verifies the
// hash chain and the signed heads, and re-decides every claim with the exact rules it was decided
// under. Also checks inclusion and consistency proofs, and exports a log as JSON Lines.
#include "audit/base64.h"
#include "audit/canonical_json.h"
#include "audit/merkle.h"
#include "engine/sha256.h"
#include "store/connection.h"
#include "store/heads.h"
#include "store/log_store.h"
#include "store/record_format.h"
#include "app/files.h"
#include "app/replay.h"

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
    "Usage: subsidy-audit replay (--database URL [--trusted-key KEY] | --jsonl FILE --rules PATH...)\n"
    "                            [--json]\n"
    "\n"
    "Checks, without the server and without trusting it, that a decision log is intact and that\n"
    "every decision in it is exactly what the rules produce. It:\n"
    "  1. reads every record in order of its number (seq), from 1 with no gaps, and recomputes\n"
    "     each record's SHA-256 hash over the previous record's hash and the record's own text:\n"
    "     any record changed, removed, inserted or reordered breaks this chain at that seq;\n"
    "  2. (--database) checks every signed head kept with the log: its signature verifies under\n"
    "     the public key it names, its key_id is that key's hash, and every head is signed by the\n"
    "     same key -- with --trusted-key, by that key; record head.seq exists and has the head's\n"
    "     hash, the Merkle root recomputed here over records 1..head.seq is the head's\n"
    "     merkle_root, and each head extends the one before (a consistency proof). This catches a\n"
    "     log cut short (the first missing seq is named) and a log rewritten from some seq on with\n"
    "     fresh hashes, which a valid-looking chain alone does not show;\n"
    "  3. decides every claim, review and settlement again, in seq order, from an empty history\n"
    "     and an empty catalogue, under the exact ruleset texts the record names by their SHA-256\n"
    "     (stored with the log); catalogue and budget records are applied in seq order, so each\n"
    "     decision sees the catalogue as it was when it was made;\n"
    "  4. compares each recomputed decision with the logged one, member by member (outcome,\n"
    "     amounts, lines, reasons, disbursements, rulesets).\n"
    "It prints a summary and exits 0 when everything matches; any finding is printed with the\n"
    "seq of the record and the field (a JSON Pointer such as /decision/approved_fen, or\n"
    "/head/merkle_root for a signed head), and the exit status is 1. Exit status 2: the log could\n"
    "not be opened or the options are wrong.\n"
    "\n"
    "Not yet verified: for a JSON Lines export, signed heads (replay the database, or use\n"
    "verify-proof). Without --trusted-key, a log whose heads were all re-signed with one\n"
    "new key is not caught: get the log's public key from a source other than the log, and give it.\n"
    "\n"
    "URL: sqlite:///path/to/log.db or postgresql://user@host/dbname. A JSON Lines export\n"
    "(subsidy-audit export, or GET /v1/audit/log) holds the records but not the ruleset texts:\n"
    "give the ruleset files with --rules; each is matched by its SHA-256.\n"
    "KEY: base64 of the raw public key (\"public_key\" of GET /v1/audit/head), or a file holding it.\n\nOptions";

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

void print_summary(const app::ReplayReport& report, std::ostream& out) {
  out << "records: " << report.records << " (" << report.decisions << " decisions re-evaluated)\n";
  if (report.records != 0) out << "last record: seq " << report.last_seq << ", hash " << report.last_hash << "\n";
  out << "signed heads checked: " << report.heads << "\n";
  if (report.clean()) {
    out << "clean: every hash and the chain verify" << (report.heads != 0 ? ", the log matches every signed head" : "")
        << ", and every decision re-evaluates identically\n";
    return;
  }
  out << "FINDINGS: " << report.findings.size() << " (first divergence at seq " << report.findings.front().seq << ")\n";
  for (const auto& f : report.findings) out << "  seq " << f.seq << "  " << f.field << ": " << f.message << "\n";
}

int replay_command(const std::vector<std::string>& args) {
  po::options_description options(replay_help);
  std::string database, jsonl, hash_alg_name = "sha256", trusted_key;
  std::vector<std::string> rules;
  options.add_options()("help,h", "show this help")
      ("database", po::value<std::string>(&database), "the log's database (sqlite:// or postgresql:// URL)")
      ("jsonl", po::value<std::string>(&jsonl), "a JSON Lines export of the log ('-': standard input)")
      ("rules", po::value<std::vector<std::string>>(&rules), "with --jsonl: ruleset files or directories")
      ("hash-alg", po::value<std::string>(&hash_alg_name), "with --jsonl: the log's hash algorithm (sha256, sm3)")
      ("trusted-key", po::value<std::string>(&trusted_key), "the log's public key (base64, or a file holding it)")
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
  app::keep_freed_memory();
  app::ReplayOptions opt;
  if (!trusted_key.empty()) {
    std::string error;
    opt.trusted_key = app::parse_trusted_key(trusted_key, error);
    if (!opt.trusted_key) {
      std::cerr << "subsidy-audit replay: " << error << "\n";
      return 2;
    }
  }
  bool bar = isatty(STDERR_FILENO) != 0;
  if (bar) {
    opt.progress = [](std::uint64_t seq) {
      if (seq % 1000 == 0) std::cerr << "\rreplaying: " << seq << " records" << std::flush;
    };
  }
  app::ReplayReport report;
  if (!database.empty()) {
    auto store = open_store(database);
    if (!store) return 2;
    auto heads = store::Heads::open(database);
    if (!heads.ok()) {
      std::cerr << "subsidy-audit replay: cannot open " << database << ": " << heads.error().message << "\n";
      return 2;
    }
    report = app::replay(*store, heads.value().get(), opt);
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
        auto text = app::read_file(f, error);
        if (!text) {
          std::cerr << "subsidy-audit replay: " << error << "\n";
          return 2;
        }
        texts[sha256_hex(*text)] = std::move(*text);
      }
    }
    app::RulesetTexts lookup = [&texts](const std::string& sha) -> std::optional<std::string> {
      auto it = texts.find(sha);
      if (it == texts.end()) return std::nullopt;
      return it->second;
    };
    if (jsonl == "-") {
      report = app::replay_jsonl(std::cin, *alg, lookup, opt);
    } else {
      std::ifstream in(jsonl, std::ios::binary);
      if (!in) {
        std::cerr << "subsidy-audit replay: cannot read " << jsonl << "\n";
        return 2;
      }
      report = app::replay_jsonl(in, *alg, lookup, opt);
    }
  }
  if (bar) std::cerr << "\r\033[K" << std::flush;
  if (as_json) std::cout << json::serialize(app::report_to_json(report)) << "\n";
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

// A signed head as text.
void print_head(const store::SignedHead& h, std::ostream& out) {
  out << "signed head: seq " << h.head.seq << ", signed_at " << h.head.signed_at << "\n"
      << "  hash        " << h.head.hash << "\n"
      << "  merkle_root " << h.head.merkle_root << "\n"
      << "  key_id      " << h.key_id << "\n";
}

// The head's signature under the key it names (and the trusted key, if given). Prints why not.
bool head_signature_ok(const store::SignedHead& h, const std::optional<audit::PublicKey>& trusted, std::ostream& err) {
  audit::PublicKey key;
  if (trusted) {
    key = *trusted;
  } else {
    auto raw = audit::base64_decode(h.public_key);
    if (!raw) {
      err << "signed head " << h.head.seq << ": public_key is not base64\n";
      return false;
    }
    key = audit::PublicKey{h.head.sig_alg, std::move(*raw)};
  }
  store::Status s = store::verify_signed_head(h, key);
  if (!s.ok()) {
    err << "signed head " << h.head.seq << " (/head/signature): " << s.error().message << "\n";
    return false;
  }
  return true;
}

std::optional<std::vector<audit::Digest>> parse_path(const std::vector<std::string>& hex) {
  std::vector<audit::Digest> out;
  for (const auto& h : hex) {
    auto d = audit::digest_from_hex(h);
    if (!d) return std::nullopt;
    out.push_back(*d);
  }
  return out;
}

int verify_proof_command(const std::vector<std::string>& args) {
  po::options_description options(
      "Usage: subsidy-audit verify-proof --database URL (--seq N [--tree-size M] | --consistency FROM TO)\n"
      "                                  [--trusted-key KEY] [--json]\n\n"
      "--seq: prints the RFC 9162 inclusion proof of record N (its leaf hash and audit path,\n"
      "bottom-up) against the signed head of tree size M (default: the latest signed head), checks\n"
      "that head's signature, and recomputes the Merkle root from the leaf and the path: exit 0 if it\n"
      "is the signed root, 1 if not.\n"
      "--consistency: prints the RFC 9162 consistency proof between the signed heads of sizes FROM\n"
      "and TO, checks both signatures, and verifies that the later tree extends the earlier one.\n"
      "Exit status 2: the log could not be opened, no head of that size is kept, or wrong options.\n"
      "KEY: base64 of the log's raw public key, or a file holding it; without it each head is\n"
      "checked under the key it names.\n\nOptions");
  std::string database, trusted_key;
  std::uint64_t seq = 0, tree_size = 0;
  std::vector<std::uint64_t> consistency;
  options.add_options()("help,h", "show this help")
      ("database", po::value<std::string>(&database), "the log's database URL")
      ("seq", po::value<std::uint64_t>(&seq), "the record whose inclusion to prove")
      ("tree-size", po::value<std::uint64_t>(&tree_size), "the size of the signed head to prove against")
      ("consistency", po::value<std::vector<std::uint64_t>>(&consistency)->multitoken(), "FROM TO: two signed heads' sizes")
      ("trusted-key", po::value<std::string>(&trusted_key), "the log's public key (base64, or a file holding it)")
      ("json", "print the proof as JSON");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-audit verify-proof: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help")) {
    std::cout << options << "\n";
    return 0;
  }
  bool by_seq = vm.count("seq") > 0;
  bool by_consistency = vm.count("consistency") > 0;
  if (database.empty() || by_seq == by_consistency || (by_consistency && consistency.size() != 2) ||
      (by_consistency && vm.count("tree-size"))) {
    std::cerr << "subsidy-audit verify-proof: give --database and either --seq N or --consistency FROM TO (see --help)\n";
    return 2;
  }
  std::optional<audit::PublicKey> trusted;
  if (!trusted_key.empty()) {
    std::string error;
    trusted = app::parse_trusted_key(trusted_key, error);
    if (!trusted) {
      std::cerr << "subsidy-audit verify-proof: " << error << "\n";
      return 2;
    }
  }
  auto setting = store::parse_connection_url(database);
  std::error_code ec;
  if (!setting.ok() || (setting.value().backend == store::Backend::sqlite && !fs::exists(setting.value().target, ec))) {
    std::cerr << "subsidy-audit verify-proof: no such log " << database << "\n";
    return 2;
  }
  auto opened = store::Heads::open(database);
  if (!opened.ok()) {
    std::cerr << "subsidy-audit verify-proof: cannot open " << database << ": " << opened.error().message << "\n";
    return 2;
  }
  store::Heads& heads = *opened.value();
  bool as_json = vm.count("json") > 0;
  audit::HashAlg alg = heads.hash_alg();

  if (by_seq) {
    auto head = vm.count("tree-size") ? heads.at_size(tree_size) : heads.latest();
    if (!head.ok()) {
      std::cerr << "subsidy-audit verify-proof: no signed head" << (vm.count("tree-size") ? " of size " + std::to_string(tree_size) : std::string())
                << ": " << head.error().message << "\n";
      return 2;
    }
    const store::SignedHead& h = head.value();
    auto proof = heads.inclusion_proof(seq, h.head.seq);
    if (!proof.ok()) {
      std::cerr << "subsidy-audit verify-proof: seq " << seq << ": " << proof.error().message << "\n";
      return proof.error().code == store::StoreCode::verification_failed ? 1 : 2;
    }
    const store::InclusionProof& p = proof.value();
    bool signature_ok = head_signature_ok(h, trusted, std::cerr);
    auto leaf = audit::digest_from_hex(p.leaf_hash);
    auto root = audit::digest_from_hex(h.head.merkle_root);
    auto path = parse_path(p.path);
    bool proof_ok = leaf && root && path && audit::verify_inclusion(alg, *leaf, seq - 1, h.head.seq, *path, *root).ok();
    if (as_json) {
      json::array path_json;
      for (const auto& x : p.path) path_json.emplace_back(x);
      std::cout << json::serialize(json::object{{"seq", p.seq}, {"tree_size", p.tree_size}, {"leaf_hash", p.leaf_hash},
                                                {"path", std::move(path_json)}, {"merkle_root", h.head.merkle_root},
                                                {"signature_ok", signature_ok}, {"verified", proof_ok && signature_ok}})
                << "\n";
    } else {
      print_head(h, std::cout);
      std::cout << "inclusion proof: seq " << p.seq << " in tree size " << p.tree_size << "\n"
                << "  leaf_hash " << p.leaf_hash << "\n";
      for (std::size_t i = 0; i < p.path.size(); ++i) std::cout << "  path[" << i << "] " << p.path[i] << "\n";
      std::cout << (signature_ok ? "signature: verifies\n" : "signature: DOES NOT VERIFY\n")
                << (proof_ok ? "proof: verifies against the signed merkle_root\n"
                             : "proof: DOES NOT VERIFY against the signed merkle_root\n");
    }
    return proof_ok && signature_ok ? 0 : 1;
  }

  std::uint64_t from = consistency[0], to = consistency[1];
  auto a = heads.at_size(from);
  auto b = heads.at_size(to);
  if (!a.ok() || !b.ok()) {
    std::cerr << "subsidy-audit verify-proof: no signed head of size " << (!a.ok() ? from : to) << "\n";
    return 2;
  }
  auto proof = heads.consistency_proof(from, to);
  if (!proof.ok()) {
    std::cerr << "subsidy-audit verify-proof: " << proof.error().message << "\n";
    return proof.error().code == store::StoreCode::verification_failed ? 1 : 2;
  }
  bool signature_ok = head_signature_ok(a.value(), trusted, std::cerr);
  signature_ok = head_signature_ok(b.value(), trusted, std::cerr) && signature_ok;
  auto from_root = audit::digest_from_hex(a.value().head.merkle_root);
  auto to_root = audit::digest_from_hex(b.value().head.merkle_root);
  auto path = parse_path(proof.value().path);
  bool proof_ok = from_root && to_root && path && audit::verify_consistency(alg, from, to, *from_root, *to_root, *path).ok();
  if (as_json) {
    json::array path_json;
    for (const auto& x : proof.value().path) path_json.emplace_back(x);
    std::cout << json::serialize(json::object{{"from_size", from}, {"to_size", to}, {"path", std::move(path_json)},
                                              {"from_root", a.value().head.merkle_root}, {"to_root", b.value().head.merkle_root},
                                              {"signature_ok", signature_ok}, {"verified", proof_ok && signature_ok}})
              << "\n";
  } else {
    print_head(a.value(), std::cout);
    print_head(b.value(), std::cout);
    std::cout << "consistency proof: " << from << " -> " << to << "\n";
    for (std::size_t i = 0; i < proof.value().path.size(); ++i) std::cout << "  path[" << i << "] " << proof.value().path[i] << "\n";
    std::cout << (signature_ok ? "signatures: verify\n" : "signatures: DO NOT VERIFY\n")
              << (proof_ok ? "proof: the later head extends the earlier one\n"
                           : "proof: DOES NOT VERIFY: the later head does not extend the earlier one\n");
  }
  return proof_ok && signature_ok ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const char* usage =
      "Usage: subsidy-audit COMMAND [OPTIONS]\n\n"
      "Commands:\n"
      "  replay        verify a decision log: hash chain, signed heads, and every decision\n"
      "                re-evaluated under its rules\n"
      "  verify-proof  check one record's inclusion proof, or a consistency proof, against signed heads\n"
      "  export        write a log as JSON Lines\n\n"
      "subsidy-audit COMMAND --help explains each command.\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  std::string command = args[0];
  args.erase(args.begin());
  if (command == "replay") return replay_command(args);
  if (command == "export") return export_command(args);
  if (command == "verify-proof") return verify_proof_command(args);
  std::cerr << "subsidy-audit: unknown command " << command << "\n" << usage;
  return 2;
}
