// subsidy-admin classes file as a process against the real server (real_server.h): each line of
// a JSON Lines file is posted to /v1/classes in order and answered on its own line — filed,
// filed before, or refused with the server's reason and pointers — then the totals; the exit
// status says whether every line is filed.

#include "http_client.h"
#include "real_server.h"
#include "tool_path.h"
#include "tool_run.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

namespace subsidy::api::test {

namespace {

namespace fs = std::filesystem;

// env: "NAME=value ..." for the run; standard error is kept apart from the summary.
ToolRun admin(const std::string& args, const std::string& env) {
  return run_command("env -u SUBSIDY_SERVER -u SUBSIDY_TOKEN " + env + " " + tool_path("subsidy-admin") + " " + args +
                     " 2>/dev/null");
}

std::string filing_line(const std::string& class_id, const std::string& credit_code, int hours = 120) {
  return R"({"class_id": ")" + class_id + R"(", "credit_code": ")" + credit_code +
         R"(", "project_code": "HB-PJ-CARE-01", "start": "2020-07-13", "end": "2020-08-11", "hours": )" +
         std::to_string(hours) +
         R"(, "filed_on": "2020-06-29", "roster": [{"id_number": "411202199207203350", "name": "王五"}]})";
}

std::string write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("subsidy-admin classes file: every line answered in order, the totals, exit 1 when one is refused") {
  RealServer server;
  fs::path dir = fs::temp_directory_path() / ("subsidy-admin-classes-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string server_env = "SUBSIDY_SERVER=http://127.0.0.1:" + std::to_string(server.port());
  const std::string own = filing_line("HB-CL-2020-0007", RealServer::institution_code);
  std::string file = write_file(dir / "classes.jsonl", own + "\n\n" + filing_line("HB-CL-2020-0009", "12411202MA44E0005D") +
                                                           "\n" + filing_line("HB-CL-2020-0010", RealServer::institution_code, 0) + "\n");
  ToolRun run = admin("classes file " + file, server_env + " SUBSIDY_TOKEN=" + server.institution());
  CHECK(run.status == 1);
  CHECK(run.out.starts_with("line 1: filed HB-CL-2020-0007 as record 1\n"
                            "line 3: refused, 403 Forbidden: an institution may only file its own classes\n"
                            "  /credit_code: not the credit code this token is bound to\n"));
  CHECK(run.out.find("line 4: refused, 422 ") != std::string::npos);
  CHECK(run.out.find("  /hours: must be a whole number of hours from 1 to 10000\n") != std::string::npos);
  CHECK(run.out.ends_with("filed 1 class, 0 filed before, 2 refused\n"));
  Reply filed = request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0007", server.clerk());
  CHECK(filed.status == 200);
  CHECK(request(server.port(), http::verb::get, "/v1/classes/HB-CL-2020-0010", server.clerk()).status == 404);

  // Again, with a clerk's token, the filed line and a changed filing under its class_id.
  file = write_file(dir / "again.jsonl", own + "\n" + filing_line("HB-CL-2020-0007", RealServer::institution_code, 96) + "\n");
  ToolRun again = admin("classes file " + file, server_env + " SUBSIDY_TOKEN=" + server.clerk());
  CHECK(again.status == 1);
  CHECK(again.out.starts_with("line 1: HB-CL-2020-0007 was filed before as record 1 (the same filing); nothing new logged\n"
                              "line 2: refused, 409 Conflict: class HB-CL-2020-0007 was filed at seq 1 with another filing\n"));
  CHECK(again.out.ends_with("filed 0 classes, 1 filed before, 1 refused\n"));

  file = write_file(dir / "once.jsonl", own + "\n");
  ToolRun once = admin("classes file " + file, server_env + " SUBSIDY_TOKEN=" + server.institution());
  CHECK(once.status == 0);
  CHECK(once.out == "line 1: HB-CL-2020-0007 was filed before as record 1 (the same filing); nothing new logged\n"
                    "filed 0 classes, 1 filed before, 0 refused\n");

  CHECK(admin("classes file " + file, server_env).status == 2);                   // no token
  CHECK(admin("classes file " + (dir / "none.jsonl").string(), server_env + " SUBSIDY_TOKEN=t").status == 2);
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace subsidy::api::test
