// subsidyd as a process: started with flags, answers over HTTP, and on SIGTERM finishes, signs a
// head and exits 0; started again on the same database it continues the log.

#include "http_client.h"
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
  explicit Daemon(const fs::path& dir) {
    int out[2];
    REQUIRE(::pipe(out) == 0);
    std::string database = "sqlite://" + (dir / "log.db").string();
    std::string key = (dir / "signing.key").string();
    std::string rules = std::string(SUBSIDY_SOURCE_DIR) + "/rules";
    std::string openapi = std::string(SUBSIDY_SOURCE_DIR) + "/schemas/openapi.json";
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::dup2(out[1], STDOUT_FILENO);
      ::close(out[0]);
      ::execl(SUBSIDYD_PATH, "subsidyd", "--port", "0", "--database", database.c_str(), "--key-file", key.c_str(),
              "--rules", rules.c_str(), "--openapi-file", openapi.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(out[1]);
    out_ = out[0];
    std::string line = read_line();
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
};

std::string claim_text(const std::string& claim_id, const std::string& month) {
  return R"({"claim_id": ")" + claim_id + R"(", "program": "work_for_training", "submitted_on": "2021-12-20",
    "entity": {"credit_code": "91411202MA44A0001W", "name": "湖滨区甲食品有限公司", "type": "enterprise", "insured": true},
    "person": {"id_number": "411202199001011230", "name": "张三", "categories": ["poor_laborer"]},
    "employment": {"start": "2019-10-08", "end": null}, "months": [")" + month + R"("],
    "evidence": [{"kind": "roster", "ref": "R-1"}, {"kind": "labour_contract", "ref": "LC-1"},
                 {"kind": "wage_records", "ref": "WG-1"}]})";
}

}  // namespace

TEST_CASE("subsidyd: SIGTERM signs a head and exits 0 - a restart continues the log") {
  fs::path dir = fs::temp_directory_path() / ("subsidyd-process-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string url = "sqlite://" + (dir / "log.db").string();
  std::string clerk;
  {
    Daemon first(dir);
    auto tokens = store::TokenStore::open(url);
    REQUIRE(tokens.ok());
    store::SystemClock clock;
    auto made = tokens.value()->create(store::Role::clerk, "", "process test", clock);
    REQUIRE(made.ok());
    clerk = made.value().bearer;
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

}  // namespace subsidy::api::test
