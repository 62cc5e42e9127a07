// subsidyd: the HTTP API server (api.md). Starts the decision pipeline (the single writer of the
// log), the token check and the HTTP server; on SIGTERM or SIGINT stops accepting, lets requests
// in flight finish, stops the pipeline (which decides what it accepted and signs a head) and
// exits 0. `subsidyd --help` lists every setting.

#include "app/decision_pipeline.h"
#include "api/metrics.h"
#include "api/read_connections.h"
#include "api/server.h"
#include "api/services.h"
#include "api/settings.h"
#include "api/token_authenticator.h"
#include "audit/digest.h"
#include "audit/signing.h"
#include "store/connection.h"
#include "store/token_store.h"
#include "app/files.h"

#include <csignal>
#include <filesystem>
#include <iostream>
#include <pthread.h>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace subsidy;

std::vector<std::string> environment() {
  std::vector<std::string> out;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) out.emplace_back(*e);
  return out;
}

// The snapshot file the settings name (ServerSettings::snapshot_file); "" for none.
std::string snapshot_file_of(const api::ServerSettings& s) {
  if (s.snapshot_file == "none") return "";
  if (!s.snapshot_file.empty()) return s.snapshot_file;
  auto setting = store::parse_connection_url(s.database_url);  // checked by make_directories()
  if (!setting.ok() || setting.value().backend != store::Backend::sqlite) return "";
  return setting.value().target + ".snapshot";
}

// The directories a fresh start needs: that of a SQLite file and that of the key file.
std::string rules_text(const std::vector<std::string>& rules) {
  std::string out;
  for (const std::string& r : rules) out += (out.empty() ? "" : " + ") + r;
  return out;
}

bool make_directories(const api::ServerSettings& s, std::string& error) {
  std::vector<fs::path> files = {s.key_file};
  auto setting = store::parse_connection_url(s.database_url);
  if (!setting.ok()) {
    error = setting.error().message;
    return false;
  }
  if (setting.value().backend == store::Backend::sqlite) files.emplace_back(setting.value().target);
  for (const fs::path& f : files) {
    std::error_code ec;
    if (f.has_parent_path()) fs::create_directories(f.parent_path(), ec);
    if (ec) {
      error = "cannot create " + f.parent_path().string() + ": " + ec.message();
      return false;
    }
  }
  return true;
}

int run(const api::ServerSettings& s) {
  std::string error;
  if (!make_directories(s, error)) {
    std::cerr << "subsidyd: " << error << '\n';
    return 1;
  }
  api::Metrics metrics;  // declared before the pipeline, whose thread reports commits to it
  app::PipelineSettings ps;
  ps.database_url = s.database_url;
  ps.rules = s.rules;
  ps.key_file = s.key_file;
  ps.algorithms = {*audit::parse_hash_alg(s.hash_alg), *audit::parse_sig_alg(s.sig_alg)};  // checked by parse_settings
  ps.queue_max = s.queue_max;
  ps.batch_max = s.batch_max;
  ps.sign_every = s.sign_every;
  ps.sign_interval = std::chrono::seconds(s.sign_interval_s);
  ps.on_commit = [&metrics](std::size_t records) { metrics.commit_batch(records); };
  ps.seed_catalogue_file = s.catalogue_file;
  ps.snapshot_file = snapshot_file_of(s);
  ps.snapshot_every = s.snapshot_every;
  ps.shared_log = s.shared_log;
  std::unique_ptr<app::DecisionPipeline> pipeline = app::DecisionPipeline::start(ps, error);
  if (!pipeline) {
    std::cerr << "subsidyd: " << error << '\n';
    return 1;
  }
  auto tokens = store::TokenStore::open(s.database_url);
  if (!tokens.ok()) {
    std::cerr << "subsidyd: tokens: " << tokens.error().message << '\n';
    return 1;
  }
  api::TokenAuthenticator authenticator(std::move(tokens).value());
  auto rulesets = app::load_rulesets({s.rules.begin(), s.rules.end()});
  if (auto* errors = std::get_if<std::vector<std::string>>(&rulesets)) {
    for (const auto& e : *errors) std::cerr << "subsidyd: " << e << '\n';
    return 1;
  }
  api::ReadConnections readers(s.database_url);
  api::Services services;
  services.pipeline = pipeline.get();
  services.authenticator = &authenticator;
  services.readers = &readers;
  services.rulesets = &std::get<RulesetSet>(rulesets);
  services.metrics = &metrics;
  auto openapi = app::read_file(s.openapi_file, error);
  if (!openapi) {
    std::cerr << "subsidyd: " << error << " (GET /openapi.json will answer an empty document)\n";
    openapi = "{}";
  }
  services.openapi_json = std::move(*openapi);

  api::Server server(s, services);
  if (!server.start(error)) {
    std::cerr << "subsidyd: " << error << '\n';
    pipeline->stop();
    return 1;
  }
  std::cout << "subsidyd: listening on " << (s.tls() ? "https://" : "http://") << s.address << ':' << server.port()
            << " (database " << store::backend_name(store::parse_connection_url(s.database_url).value().backend)
            << ", rules " << rules_text(s.rules) << ")" << std::endl;

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  int received = 0;
  sigwait(&signals, &received);
  std::cout << "subsidyd: " << (received == SIGTERM ? "SIGTERM" : "SIGINT")
            << ": finishing requests in flight, then signing a head" << std::endl;
  server.stop();
  pipeline->stop();
  std::cout << "subsidyd: stopped" << std::endl;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Block the stop signals before any thread starts, so that every thread inherits the mask and
  // only sigwait() in main receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  api::SettingsOutcome settings = api::parse_settings(argc, argv, environment());
  if (!settings.help.empty()) {
    std::cout << settings.help;
    return 0;
  }
  if (!settings.error.empty()) {
    std::cerr << "subsidyd: " << settings.error << "\n(subsidyd --help lists the settings)\n";
    return 2;
  }
  try {
    return run(*settings.settings);
  } catch (const std::exception& e) {
    std::cerr << "subsidyd: " << e.what() << '\n';
    return 1;
  }
}
