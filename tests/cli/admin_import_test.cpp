// subsidy-admin registry import as a process, against the test server: the summary on standard
// output and the exit status; without a terminal, no bar on standard error; bad arguments exit
// 2; a server that is not running is named.

#include "api/tool_path.h"
#include "audit/base64.h"
#include "audit/digest.h"
#include "support/temporary_directory.h"
#include "upload_server.h"

#include <doctest/doctest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace subsidy::cli::test {

namespace {

struct Run {
  int status = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream all;
  all << in.rdbuf();
  return all.str();
}

// env: "NAME=value ..." set for the run; SUBSIDY_SERVER and SUBSIDY_TOKEN are otherwise unset.
Run admin(const subsidy::testing::TemporaryDirectory& dir, const std::string& args, const std::string& env = "") {
  std::string out = dir.file("stdout"), err = dir.file("stderr");
  std::string command = "env -u SUBSIDY_SERVER -u SUBSIDY_TOKEN " + env + " " +
                        subsidy::api::test::tool_path("subsidy-admin") + " " + args + " >" + out + " 2>" + err +
                        " </dev/null";
  int status = std::system(command.c_str());
  Run run;
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = slurp(out);
  run.err = slurp(err);
  return run;
}

}  // namespace

TEST_CASE("subsidy-admin registry import: 201 through SUBSIDY_SERVER and SUBSIDY_TOKEN, summary on stdout") {
  subsidy::testing::TemporaryDirectory dir("cli_admin_201");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 30'000);
  UploadServer server(file, true, [](const ReceivedRequest& seen) {
    return Reply{201, "application/json",
                 "{\"seq\":7,\"sha256\":\"" + seen.sha256 + "\",\"persons\":" + std::to_string(seen.first_fields) +
                     ",\"rows\":" + std::to_string(seen.lines - 1) + "}"};
  });
  Run run = admin(dir, "registry import " + file, "SUBSIDY_SERVER=" + server.url() + " SUBSIDY_TOKEN=sbt_admin_x");
  ReceivedRequest seen = server.received();
  CHECK(seen.matches_file);
  CHECK(seen.authorization == "Bearer sbt_admin_x");
  CHECK(seen.content_type == "text/csv");
  // RFC 9530: the file's SHA-256, base64 between colons, so a server that has it can answer at once.
  CHECK(seen.repr_digest == "sha-256=:" + audit::base64_encode(*audit::digest_from_hex(file_sha256(file))) + ":");
  CHECK_MESSAGE(run.status == 0, run.out << run.err);
  CHECK(run.out == "imported 15000 persons from 30000 rows as record 7 (sha256 " + file_sha256(file) + ")\n");
  // Not a terminal: a line at the start and two at the end, no bar.
  CHECK(run.err.find('\r') == std::string::npos);
  CHECK(run.err.find("waiting for the server to check") != std::string::npos);
}

TEST_CASE("subsidy-admin registry import: 422 lists the bad rows and exits 1, --format and --token given") {
  subsidy::testing::TemporaryDirectory dir("cli_admin_422");
  std::string file = dir.file("export.txt");
  write_registry_csv(file, 100);
  UploadServer server(file, true, [](const ReceivedRequest& seen) {
    // The last line's id_number and the one before as a whole, by the lines the server counted.
    return Reply{422, "application/problem+json",
                 R"({"title":"Unprocessable Content","status":422,"errors":[{"pointer":"/rows/)" +
                     std::to_string(seen.lines) + R"(/id_number","message":"check character is wrong"},)"
                     R"({"pointer":"/rows/)" + std::to_string(seen.lines - 1) + R"(","message":"too few fields"}]})"};
  });
  Run run = admin(dir, "registry import " + file + " --format csv --token sbt_admin_y --server " + server.url());
  server.received();
  CHECK(run.status == 1);
  CHECK(run.out ==
        "the import was refused; nothing was imported:\n"
        "  line 101, id_number: check character is wrong\n"
        "  line 100: too few fields\n");
}

TEST_CASE("subsidy-admin registry import: bad arguments exit 2") {
  subsidy::testing::TemporaryDirectory dir("cli_admin_args");
  std::string file = dir.file("export.txt");
  write_registry_csv(file, 2);
  Run unknown = admin(dir, "registry import " + file + " --token t");
  CHECK(unknown.status == 2);
  CHECK(unknown.err.find("--format") != std::string::npos);
  Run no_token = admin(dir, "registry import " + file + " --format csv");
  CHECK(no_token.status == 2);
  CHECK(no_token.err.find("SUBSIDY_TOKEN") != std::string::npos);
  CHECK(admin(dir, "registry import " + file + " --format xml --token t").status == 2);
  CHECK(admin(dir, "registry import " + file + " --format csv --token t --server 127.0.0.1:8080").status == 2);
  CHECK(admin(dir, "registry import --token t").status == 2);
  CHECK(admin(dir, "registry export " + file).status == 2);
}

TEST_CASE("subsidy-admin registry import: nothing listening names the server and exits 1") {
  subsidy::testing::TemporaryDirectory dir("cli_admin_refused");
  std::string file = dir.file("registry.csv");
  write_registry_csv(file, 2);
  std::uint16_t port = 0;
  {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::acceptor probe(ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  std::string url = "http://127.0.0.1:" + std::to_string(port);
  Run run = admin(dir, "registry import " + file + " --token t --server " + url);
  CHECK(run.status == 1);
  CHECK(run.out == "");
  CHECK(run.err.starts_with("subsidy-admin: cannot connect to " + url + ": connection refused"));
  CHECK(run.err.find("Is subsidyd running there?") != std::string::npos);
}

}  // namespace subsidy::cli::test
