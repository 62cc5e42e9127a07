// subsidyd's settings: defaults, flags over environment over config file, --help, refusals.

#include "api/settings.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

SettingsOutcome parse(std::vector<const char*> args, const std::vector<std::string>& env = {}) {
  args.insert(args.begin(), "subsidyd");
  return parse_settings(static_cast<int>(args.size()), args.data(), env);
}

}  // namespace

TEST_CASE("settings: defaults are the documented ones") {
  SettingsOutcome out = parse({});
  REQUIRE(out.settings);
  const ServerSettings& s = *out.settings;
  CHECK(s.address == "127.0.0.1");
  CHECK(s.port == 8080);
  CHECK(s.database_url == "sqlite://./data/subsidy.db");
  CHECK(s.rules == std::vector<std::string>{"rules"});
  CHECK(s.key_file == "./data/signing.key");
  CHECK(s.body_bytes_max == 1024 * 1024);
  CHECK(s.header_bytes_max == 8 * 1024);
  CHECK(!s.tls());
}

TEST_CASE("settings: a flag beats the environment / which beats the config file") {
  std::string path = std::filesystem::temp_directory_path() / ("subsidyd-test-" + std::to_string(::getpid()) + ".conf");
  {
    std::ofstream f(path);
    f << "port = 9001\nthreads = 7\nbody-bytes-max = 2048\nidle-timeout-ms = 1234\n";
  }
  SettingsOutcome out = parse({"--config", path.c_str(), "--port", "9003"},
                              {"SUBSIDY_PORT=9002", "SUBSIDY_THREADS=5", "PATH=/bin", "SUBSIDY_UNRELATED=1"});
  std::filesystem::remove(path);
  REQUIRE_MESSAGE(out.settings, out.error);
  CHECK(out.settings->port == 9003);
  CHECK(out.settings->threads == 5);
  CHECK(out.settings->body_bytes_max == 2048);
  CHECK(out.settings->idle_timeout_ms == 1234);
}

TEST_CASE("settings: --rules repeats to load an amendment beside the base / and a flag still beats the environment") {
  SettingsOutcome out = parse({"--rules", "rules", "--rules", "rules/examples/hubin-2020-in-system.ruleset.json"},
                              {"SUBSIDY_RULES=elsewhere"});
  REQUIRE_MESSAGE(out.settings, out.error);
  CHECK(out.settings->rules ==
        std::vector<std::string>{"rules", "rules/examples/hubin-2020-in-system.ruleset.json"});
  SettingsOutcome from_env = parse({}, {"SUBSIDY_RULES=elsewhere"});
  REQUIRE_MESSAGE(from_env.settings, from_env.error);
  CHECK(from_env.settings->rules == std::vector<std::string>{"elsewhere"});
}

TEST_CASE("settings: --help explains every setting") {
  SettingsOutcome out = parse({"--help"});
  CHECK(!out.settings);
  for (const char* name : {"--address", "--port", "--database", "--rules", "--key-file", "--tls-cert", "--tls-key",
                           "--threads", "--body-bytes-max", "--header-bytes-max", "--read-timeout-ms",
                           "--idle-timeout-ms", "--connections-max", "--queue-max", "--batch-max", "--sign-every",
                           "--config"}) {
    CAPTURE(name);
    CHECK(out.help.find(name) != std::string::npos);
  }
}

TEST_CASE("settings: refused values") {
  CHECK(!parse({"--port", "70000"}).error.empty());
  CHECK(!parse({"--threads", "0"}).error.empty());
  CHECK(!parse({"--tls-cert", "a.pem"}).error.empty());  // without --tls-key
  CHECK(!parse({"--no-such-flag"}).error.empty());
  CHECK(!parse({"--config", "/nonexistent/subsidyd.conf"}).error.empty());
  CHECK(!parse({}, {"SUBSIDY_BODY_BYTES_MAX=lots"}).error.empty());
}

}  // namespace subsidy::api::test
