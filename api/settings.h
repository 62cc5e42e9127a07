#pragma once
// subsidyd's settings: every limit and path a deployment may change, each a named setting that
// can come from a flag (--body-bytes-max), the environment (SUBSIDY_BODY_BYTES_MAX) or a config
// file given by --config ("body-bytes-max = 1048576" lines). A flag beats the environment, which
// beats the file, which beats the default. `subsidyd --help` explains each one.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace subsidy::api {

struct ServerSettings {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  std::string database_url = "sqlite://./data/subsidy.db";
  // Ruleset files and directories, loaded together; repeat --rules to add an amendment
  // (rules/examples/ is skipped inside a directory: name its files).
  std::vector<std::string> rules = {"rules"};
  std::string key_file = "./data/signing.key";
  // The algorithms a new log is created with; a server refuses a log that names others.
  std::string hash_alg = "sha256";  // or "sm3"
  std::string sig_alg = "ed25519";  // or "sm2"
  std::string catalogue_file;  // logged as catalogue records when the log has no catalogue yet
  std::string openapi_file = "schemas/openapi.json";
  std::string tls_cert;  // TLS (1.2 or later) when both are set
  std::string tls_key;
  unsigned threads = 2;                      // HTTP threads (the sequencer has its own)
  std::size_t body_bytes_max = 1 << 20;      // larger body: 413, not read
  std::uint64_t import_bytes_max = 1ull << 30;  // the same for a registry import's file, read as it arrives
  std::size_t header_bytes_max = 8 << 10;    // larger request line + headers: 431
  std::uint32_t read_timeout_ms = 10'000;    // a whole request, first byte to last: else closed
  std::uint32_t idle_timeout_ms = 60'000;    // a keep-alive connection waiting for its next request
  std::size_t connections_max = 1'000;       // beyond: 503 + Connection: close at once
  std::size_t queue_max = 10'000;            // decision pipeline queue; beyond: 503 + Retry-After
  std::size_t batch_max = 512;               // decisions per commit
  std::uint64_t sign_every = 1'000;          // sign a head at least every this many records
  std::uint32_t sign_interval_s = 10;        // and after this many quiet seconds if the log grew
  std::uint32_t shutdown_grace_ms = 10'000;  // on SIGTERM, how long in-flight requests may take
  // The state's snapshot file (app/snapshot.h): "" is the SQLite file's path + ".snapshot", and
  // none for PostgreSQL; "none" for none.
  std::string snapshot_file;
  std::uint64_t snapshot_every = 100'000;  // records between snapshots (and one at shutdown)
  bool shared_log = false;                 // other servers append to the log (PipelineSettings)

  bool tls() const { return !tls_cert.empty() && !tls_key.empty(); }
};

// What parse_settings() found: settings, or the --help text, or an error for stderr.
struct SettingsOutcome {
  std::optional<ServerSettings> settings;
  std::string help;   // non-empty: print it and exit 0
  std::string error;  // non-empty: print it and exit 2
};

// env: "NAME=value" strings (environ), so that tests need not change the process environment.
SettingsOutcome parse_settings(int argc, const char* const* argv, const std::vector<std::string>& env);

}  // namespace subsidy::api
