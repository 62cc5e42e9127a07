// subsidyd as a process: started with flags, answers over HTTP, and on SIGTERM finishes, signs a
// head and exits 0; started again on the same database it continues the log.

#include "http_client.h"
#include "tool_path.h"
#include "audit/key_file.h"
#include "store/clock.h"
#include "store/heads.h"
#include "store/token_store.h"

#include <doctest/doctest.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/wait.h>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace fs = std::filesystem;

// A running subsidyd on port 0; port() parses the "listening on" line of its standard output.
class Daemon {
 public:
  explicit Daemon(const fs::path& dir, const std::vector<std::string>& extra = {}) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    std::string database = "sqlite://" + (dir / "log.db").string();
    std::string key = (dir / "signing.key").string();
    std::string rules = std::string(SUBSIDY_SOURCE_DIR) + "/rules";
    std::string openapi = std::string(SUBSIDY_SOURCE_DIR) + "/schemas/openapi.json";
    std::vector<std::string> args = {"subsidyd", "--port", "0", "--database", database, "--key-file", key,
                                      "--rules", rules, "--openapi-file", openapi};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string subsidyd = tool_path("subsidyd");
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::dup2(out[1], STDERR_FILENO);  // what it says at start (the snapshot it read) comes first
      ::close(out[0]);
      ::execv(subsidyd.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    std::string line = read_line();
    while (!line.empty() && line.find(" (database") == std::string::npos) {
      before_listening_ += line + "\n";
      line = read_line();
    }
    auto colon = line.rfind(':', line.find(" (database"));
    REQUIRE_MESSAGE(colon != std::string::npos, line);
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
  }
  ~Daemon() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
  }
  std::uint16_t port() const { return port_; }
  // What it printed before it listened.
  const std::string& start_lines() const { return before_listening_; }
  // SIGTERM, then the exit status (-1 if it did not exit normally).
  int terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::string read_line() {
    std::string line;
    char c;
    while (::read(out_, &c, 1) == 1 && c != '\n') line += c;
    return line;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::uint16_t port_ = 0;
  std::string before_listening_;
};

std::string claim_text(const std::string& claim_id, const std::string& month) {
  return R"({"claim_id": ")" + claim_id + R"(", "program": "work_for_training", "submitted_on": "2021-12-20",
    "entity": {"credit_code": "91411202MA44A0001W", "name": "湖滨区甲食品有限公司", "type": "enterprise", "insured": true},
    "person": {"id_number": "411202199001011230", "name": "张三", "categories": ["poor_laborer"]},
    "employment": {"start": "2019-10-08", "end": null}, "months": [")" + month + R"("],
    "evidence": [{"kind": "roster", "ref": "R-1"}, {"kind": "labour_contract", "ref": "LC-1"},
                 {"kind": "wage_records", "ref": "WG-1"}]})";
}

// An empty directory for one test's log and key.
fs::path fresh_dir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A bearer token of role, made in the log at url as subsidy-admin makes one.
std::string bearer_token(const std::string& url, store::Role role = store::Role::clerk) {
  auto tokens = store::TokenStore::open(url);
  REQUIRE(tokens.ok());
  store::SystemClock clock;
  auto made = tokens.value()->create(role, "", "process test", clock);
  REQUIRE(made.ok());
  return made.value().bearer;
}

// subsidyd with these arguments run to its end: its exit status and what it printed.
struct Refusal {
  int status = -1;
  std::string output;
};
Refusal run_to_exit(const fs::path& dir, const std::string& arguments, const std::string& environment = "") {
  std::string command = environment + " " + tool_path("subsidyd") + " --port 0 --database sqlite://" + (dir / "log.db").string() +
                        " --rules " + SUBSIDY_SOURCE_DIR + "/rules " + arguments + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  Refusal r;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) r.output += buffer;
  int status = ::pclose(pipe);
  r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace

TEST_CASE("subsidyd: a 国密 log (sm3+sm2) is created by settings and kept - other settings are refused") {
  fs::path dir = fresh_dir("subsidyd-gm");
  std::string url = "sqlite://" + (dir / "log.db").string();
  {
    Daemon gm(dir, {"--hash-alg", "sm3", "--sig-alg", "sm2", "--catalogue",
                    std::string(SUBSIDY_SOURCE_DIR) + "/examples/catalogue.json"});
    Reply head = request(gm.port(), http::verb::get, "/v1/audit/head", bearer_token(url, store::Role::auditor));
    REQUIRE_MESSAGE(head.status == 200, head.body);
    auto body = head.json().as_object();
    CHECK(body.at("hash_alg") == "sm3");
    CHECK(body.at("sig_alg") == "sm2");
    CHECK(body.at("sm2_id") == "1234567812345678");
    CHECK(std::string(body.at("public_key_pem").as_string()).starts_with("-----BEGIN PUBLIC KEY-----"));
    CHECK(gm.terminate() == 0);
  }
  std::string key = " --key-file " + (dir / "signing.key").string();
  // The defaults (sha256+ed25519) on the sm3+sm2 log: refused, naming both pairs.
  Refusal defaults = run_to_exit(dir, key);
  CHECK(defaults.status == 1);
  CHECK_MESSAGE(defaults.output.find("the log uses sm3+sm2 but the settings say sha256+ed25519") != std::string::npos,
                defaults.output);
  // The right pair with an Ed25519 key file: refused, naming the key file and the algorithm.
  const std::string ed25519_key = (dir / "ed25519.key").string();
  REQUIRE(audit::create_key_file(ed25519_key, audit::SigAlg::ed25519).ok());
  Refusal other_key = run_to_exit(dir, "--hash-alg sm3 --sig-alg sm2 --key-file " + ed25519_key);
  CHECK(other_key.status == 1);
  CHECK_MESSAGE(other_key.output.find("signing key " + ed25519_key + " (sm2): key is not an sm2 key") !=
                    std::string::npos,
                other_key.output);
  // An unknown algorithm: a settings error.
  Refusal unknown = run_to_exit(dir, "--sig-alg ecdsa");
  CHECK(unknown.status == 2);
  CHECK_MESSAGE(unknown.output.find("sig-alg must be ed25519 or sm2") != std::string::npos, unknown.output);
  fs::remove_all(dir);
}

TEST_CASE("subsidyd: an OpenSSL that cannot hash or sign is refused at start with OpenSSL's own reasons") {
  fs::path dir = fresh_dir("subsidyd-no-crypto");
  // A FIPS-only configuration on a machine without the FIPS provider: no algorithm can be fetched.
  {
    std::ofstream conf(dir / "fips-only.cnf");
    conf << "openssl_conf = openssl_init\n[openssl_init]\nalg_section = algorithms\n"
            "[algorithms]\ndefault_properties = fips=yes\n";
  }
  for (const char* pair : {"--hash-alg sha256 --sig-alg ed25519", "--hash-alg sm3 --sig-alg sm2"}) {
    CAPTURE(pair);
    Refusal r = run_to_exit(dir, std::string(pair) + " --key-file " + (dir / "signing.key").string(),
                            "OPENSSL_CONF=" + (dir / "fips-only.cnf").string());
    CHECK(r.status == 1);
    CHECK_MESSAGE(r.output.find("subsidyd: OpenSSL: OpenSSL does not provide hash algorithm sha256 (error:") !=
                      std::string::npos,
                  r.output);
    CHECK(r.output.find("error:00000000") == std::string::npos);
    CHECK_FALSE(fs::exists(dir / "signing.key"));  // refused before anything was created
  }
  fs::remove_all(dir);
}

TEST_CASE("subsidyd: SIGTERM signs a head and exits 0 - a restart continues the log") {
  fs::path dir = fresh_dir("subsidyd-process");
  std::string url = "sqlite://" + (dir / "log.db").string();
  std::string clerk;
  {
    Daemon first(dir);
    clerk = bearer_token(url);
    CHECK(request(first.port(), http::verb::get, "/healthz").status == 200);
    Reply one = request(first.port(), http::verb::post, "/v1/claims", clerk, claim_text("HB-PROC-1", "2020-01"));
    CHECK_MESSAGE(one.status == 201, one.body);
    CHECK(first.terminate() == 0);
  }
  {
    auto heads = store::Heads::open(url);
    REQUIRE(heads.ok());
    auto latest = heads.value()->latest();
    REQUIRE(latest.ok());
    CHECK(latest.value().head.seq == 1);
  }
  {
    Daemon second(dir);
    Reply two = request(second.port(), http::verb::post, "/v1/claims", clerk, claim_text("HB-PROC-2", "2020-02"));
    REQUIRE_MESSAGE(two.status == 201, two.body);
    CHECK(two.json().at("seq") == 2);
    CHECK(second.terminate() == 0);
  }
  fs::remove_all(dir);
}

TEST_CASE("subsidyd: a restart reads the snapshot and the log's tail - a torn or stale snapshot is not read") {
  fs::path dir = fresh_dir("subsidyd-snapshot");
  std::string url = "sqlite://" + (dir / "log.db").string();
  const fs::path snapshot = dir / "log.db.snapshot";
  std::string clerk;
  auto approved_fen = [&](std::uint16_t port, const std::string& id, const std::string& month) {
    Reply r = request(port, http::verb::post, "/v1/claims", clerk, claim_text(id, month));
    REQUIRE_MESSAGE(r.status == 201, r.body);
    return r.json().at("approved_fen").to_number<std::int64_t>();
  };
  {
    Daemon first(dir);
    CHECK(first.start_lines().find("state folded from the log's 0 records") != std::string::npos);
    clerk = bearer_token(url);
    CHECK(approved_fen(first.port(), "HB-SNAP-1", "2020-01") == 20000);
    CHECK_FALSE(fs::exists(snapshot));  // snapshot_every is far off
    CHECK(first.terminate() == 0);
  }
  REQUIRE(fs::exists(snapshot));  // written at stop
  {
    Daemon second(dir);
    CHECK_MESSAGE(second.start_lines().find("state from the snapshot at seq 1 and 0 records") != std::string::npos,
                  second.start_lines());
    // The month paid before the restart is known: the snapshot holds the history.
    CHECK(approved_fen(second.port(), "HB-SNAP-2", "2020-01") == 0);
    // killed (~Daemon): the log has seq 2, the snapshot still ends at seq 1
  }
  {
    Daemon third(dir);
    CHECK_MESSAGE(third.start_lines().find("state from the snapshot at seq 1 and 1 records of the log after it") !=
                      std::string::npos,
                  third.start_lines());
    CHECK(approved_fen(third.port(), "HB-SNAP-3", "2020-02") == 20000);
    CHECK(third.terminate() == 0);
  }
  // Torn: the machine lost the file's end. The start says so and folds the log instead.
  fs::resize_file(snapshot, fs::file_size(snapshot) / 2);
  {
    Daemon fourth(dir);
    CHECK_MESSAGE(fourth.start_lines().find("torn") != std::string::npos, fourth.start_lines());
    CHECK(fourth.start_lines().find("state folded from the log's 3 records") != std::string::npos);
    CHECK(approved_fen(fourth.port(), "HB-SNAP-4", "2020-02") == 0);
    CHECK(fourth.terminate() == 0);  // and writes a whole one again
  }
  // Stale: a snapshot of a log that is not this one (the database restored from a backup, or
  // replaced) is not read: the state is the log's, never the snapshot's.
  for (const char* f : {"log.db", "log.db-wal", "log.db-shm"}) fs::remove(dir / f);
  {
    Daemon fifth(dir);
    CHECK_MESSAGE(fifth.start_lines().find("not the one the snapshot ends at") != std::string::npos,
                  fifth.start_lines());
    CHECK(fifth.start_lines().find("state folded from the log's 0 records") != std::string::npos);
  }
  fs::remove_all(dir);
}

TEST_CASE("subsidyd: a snapshot is written every snapshot-every records, once they are committed") {
  fs::path dir = fresh_dir("subsidyd-snapshot-every");
  std::string url = "sqlite://" + (dir / "log.db").string();
  const fs::path snapshot = dir / "log.db.snapshot";
  {
    Daemon first(dir, {"--snapshot-every", "2"});
    const std::string clerk = bearer_token(url);
    for (const char* id : {"HB-EVERY-1", "HB-EVERY-2", "HB-EVERY-3"}) {
      Reply r = request(first.port(), http::verb::post, "/v1/claims", clerk, claim_text(id, "2020-03"));
      REQUIRE_MESSAGE(r.status == 201, r.body);
    }
    // The snapshot after seq 2 is written by a thread of its own; wait for it, then kill -9.
    for (int i = 0; i < 200 && !fs::exists(snapshot); ++i) ::usleep(10'000);
    REQUIRE(fs::exists(snapshot));
  }
  Daemon second(dir, {"--snapshot-every", "2"});
  CHECK_MESSAGE(second.start_lines().find("state from the snapshot at seq 2 and 1 records of the log after it") !=
                    std::string::npos,
                second.start_lines());
  CHECK(second.terminate() == 0);
  fs::remove_all(dir);
}

}  // namespace subsidy::api::test
