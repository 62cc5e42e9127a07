#include "api/settings.h"

#include "audit/digest.h"
#include "audit/signing.h"

#include <boost/program_options.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

namespace subsidy::api {

namespace po = boost::program_options;

namespace {

constexpr std::string_view env_prefix = "SUBSIDY_";

po::options_description describe(ServerSettings& s, std::string& config_file) {
  po::options_description d("subsidyd settings (flag, environment SUBSIDY_<NAME>, or config file line <name> = <value>)");
  // clang-format off
  d.add_options()
    ("help,h", "print this help and exit")
    ("config", po::value(&config_file), "a file of `name = value` lines with any of the settings below")
    ("address", po::value(&s.address)->default_value(s.address), "address to listen on (SUBSIDY_ADDRESS)")
    ("port", po::value(&s.port)->default_value(s.port), "TCP port to listen on; 0 picks a free one (SUBSIDY_PORT)")
    ("database", po::value(&s.database_url)->default_value(s.database_url),
     "the log: sqlite://PATH (sqlite:///abs/path), a plain path, or postgresql://user@host:port/db "
     "(SUBSIDY_DATABASE); "
     "the directory of a SQLite file is created")
    ("rules", po::value(&s.rules)->default_value(s.rules, "rules"),
     "a directory of *.ruleset.json files, or one file; repeat to load an amendment beside the base, e.g. "
     "--rules rules --rules rules/examples/hubin-2020-in-system.ruleset.json (SUBSIDY_RULES)")
    ("key-file", po::value(&s.key_file)->default_value(s.key_file),
     "the key (of --sig-alg) that signs log heads; created with mode 0600 if absent (SUBSIDY_KEY_FILE)")
    ("hash-alg", po::value(&s.hash_alg)->default_value(s.hash_alg),
     "hash of the log's chain and Merkle tree: sha256, or sm3 (GB/T 32905) for 国密 assessments; fixed when "
     "the log is created, and a server whose setting differs from the log's refuses to start (SUBSIDY_HASH_ALG)")
    ("sig-alg", po::value(&s.sig_alg)->default_value(s.sig_alg),
     "signature of the log's heads: ed25519, or sm2 (GB/T 32918, SM3, ID 1234567812345678); fixed like "
     "--hash-alg. A 国密 log: --hash-alg sm3 --sig-alg sm2 (SUBSIDY_SIG_ALG)")
    ("catalogue", po::value(&s.catalogue_file),
     "a catalogue file (the form of examples/catalogue.json) whose institutions, projects and budgets are "
     "logged as catalogue and budget records on a start where the log has no catalogue yet; later starts "
     "ignore it (SUBSIDY_CATALOGUE)")
    ("openapi-file", po::value(&s.openapi_file)->default_value(s.openapi_file),
     "the OpenAPI document served at /openapi.json (SUBSIDY_OPENAPI_FILE)")
    ("tls-cert", po::value(&s.tls_cert), "PEM certificate chain; with --tls-key the server speaks TLS 1.2+ only (SUBSIDY_TLS_CERT)")
    ("tls-key", po::value(&s.tls_key), "PEM private key of --tls-cert (SUBSIDY_TLS_KEY)")
    ("threads", po::value(&s.threads)->default_value(s.threads), "HTTP worker threads (SUBSIDY_THREADS)")
    ("body-bytes-max", po::value(&s.body_bytes_max)->default_value(s.body_bytes_max),
     "largest request body; a larger one is answered 413 without being read (SUBSIDY_BODY_BYTES_MAX)")
    ("import-bytes-max", po::value(&s.import_bytes_max)->default_value(s.import_bytes_max),
     "largest file a registry import (POST /v1/registry/imports) may send; it is read as it arrives, so memory "
     "grows with its persons, not its bytes; larger: 413 (SUBSIDY_IMPORT_BYTES_MAX)")
    ("header-bytes-max", po::value(&s.header_bytes_max)->default_value(s.header_bytes_max),
     "largest request line plus headers; larger: 431 (SUBSIDY_HEADER_BYTES_MAX)")
    ("read-timeout-ms", po::value(&s.read_timeout_ms)->default_value(s.read_timeout_ms),
     "time allowed to receive one whole request from its first byte; a slower client is disconnected "
     "(SUBSIDY_READ_TIMEOUT_MS)")
    ("idle-timeout-ms", po::value(&s.idle_timeout_ms)->default_value(s.idle_timeout_ms),
     "how long a keep-alive connection may wait for its next request (SUBSIDY_IDLE_TIMEOUT_MS)")
    ("connections-max", po::value(&s.connections_max)->default_value(s.connections_max),
     "open connections; one more is answered 503 with Connection: close (SUBSIDY_CONNECTIONS_MAX)")
    ("queue-max", po::value(&s.queue_max)->default_value(s.queue_max),
     "decisions waiting for the sequencer; beyond it requests get 503 + Retry-After (SUBSIDY_QUEUE_MAX)")
    ("batch-max", po::value(&s.batch_max)->default_value(s.batch_max), "decisions committed in one transaction (SUBSIDY_BATCH_MAX)")
    ("sign-every", po::value(&s.sign_every)->default_value(s.sign_every),
     "sign a log head at least every this many records, and at shutdown (SUBSIDY_SIGN_EVERY)")
    ("sign-interval-s", po::value(&s.sign_interval_s)->default_value(s.sign_interval_s),
     "when the log has grown since the last head and no request came for this many seconds, sign a head "
     "(SUBSIDY_SIGN_INTERVAL_S)")
    ("snapshot", po::value(&s.snapshot_file),
     "the file the state is kept in between starts, so that a start reads it and the log's tail rather than "
     "the whole log; default: the SQLite file's path + .snapshot, none for PostgreSQL; \"none\" for none "
     "(SUBSIDY_SNAPSHOT)")
    ("snapshot-every", po::value(&s.snapshot_every)->default_value(s.snapshot_every),
     "records between two snapshots; one is also written at shutdown (SUBSIDY_SNAPSHOT_EVERY)")
    ("shared-log", po::value(&s.shared_log)->default_value(s.shared_log),
     "true when other servers append to the same (PostgreSQL) log: each batch is then decided under the "
     "log's write lock, after the records they appended; a server also switches to this by itself the first "
     "time it finds the log moved (SUBSIDY_SHARED_LOG)")
    ("shutdown-grace-ms", po::value(&s.shutdown_grace_ms)->default_value(s.shutdown_grace_ms),
     "on SIGTERM/SIGINT, how long in-flight requests may still take (SUBSIDY_SHUTDOWN_GRACE_MS)");
  // clang-format on
  return d;
}

// "SUBSIDY_BODY_BYTES_MAX" -> "body-bytes-max"; "" for variables that are not settings.
std::string option_of_variable(const po::options_description& d, const std::string& variable) {
  if (!variable.starts_with(env_prefix)) return "";
  std::string name = variable.substr(env_prefix.size());
  for (char& c : name) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name == "help" || name == "config" || !d.find_nothrow(name, false)) return "";
  return name;
}

std::string check(const ServerSettings& s) {
  if (s.threads == 0 || s.threads > 256) return "threads must be 1..256";
  if (s.body_bytes_max == 0 || s.import_bytes_max == 0) return "body-bytes-max and import-bytes-max must be positive";
  if (s.header_bytes_max < 256) return "header-bytes-max must be at least 256";
  if (s.read_timeout_ms == 0 || s.idle_timeout_ms == 0) return "timeouts must be positive";
  if (s.connections_max == 0 || s.queue_max == 0 || s.batch_max == 0 || s.sign_every == 0 ||
      s.sign_interval_s == 0 || s.snapshot_every == 0)
    return "connections-max, queue-max, batch-max, sign-every, sign-interval-s and snapshot-every must be positive";
  if (s.tls_cert.empty() != s.tls_key.empty()) return "--tls-cert and --tls-key go together";
  if (!audit::parse_hash_alg(s.hash_alg)) return "hash-alg must be sha256 or sm3, not \"" + s.hash_alg + "\"";
  if (!audit::parse_sig_alg(s.sig_alg)) return "sig-alg must be ed25519 or sm2, not \"" + s.sig_alg + "\"";
  return "";
}

}  // namespace

SettingsOutcome parse_settings(int argc, const char* const* argv, const std::vector<std::string>& env) {
  SettingsOutcome out;
  ServerSettings s;
  std::string config_file;
  po::options_description d = describe(s, config_file);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, d), vm);
    if (vm.count("help")) {
      std::ostringstream text;
      text << "subsidyd: the subsidy engine's HTTP API (api.md)\n\n" << d;
      out.help = text.str();
      return out;
    }
    po::parsed_options from_env(&d);
    for (const std::string& entry : env) {
      auto eq = entry.find('=');
      if (eq == std::string::npos) continue;
      std::string name = option_of_variable(d, entry.substr(0, eq));
      if (!name.empty()) from_env.options.emplace_back(name, std::vector<std::string>{entry.substr(eq + 1)});
    }
    po::store(from_env, vm);
    // --config may itself come from the environment (SUBSIDY_CONFIG).
    std::string config = vm.count("config") ? vm["config"].as<std::string>() : "";
    for (const std::string& entry : env) {
      if (config.empty() && entry.starts_with("SUBSIDY_CONFIG=")) config = entry.substr(15);
    }
    if (!config.empty()) {
      std::ifstream in(config);
      if (!in) {
        out.error = "cannot open config file " + config;
        return out;
      }
      po::store(po::parse_config_file(in, d), vm);
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    out.error = e.what();
    return out;
  }
  out.error = check(s);
  if (out.error.empty()) out.settings = s;
  return out;
}

}  // namespace subsidy::api
