#pragma once
// subsidyd as a child process, for tools that drive the real server (subsidy-bench-http,
// subsidy-crash-test): started on port 0 with the repository's rules, the demo catalogue and a
// key file in a directory of the tool's; its port read from the line it prints once it serves.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace subsidy::tools {

// Thrown, not exit(): unwinding stops a subsidyd already started (~Daemon).
struct ToolFailure : std::runtime_error {
  using std::runtime_error::runtime_error;
};
[[noreturn]] void die(const std::string& message);
// A tool's main: runs body, and for a ToolFailure (exit 1) or another exception (exit 2) prints
// "name: what" on standard error.
int run_tool(const char* name, const std::function<int()>& body);
// A new directory under the system's temporary directory, named prefix-XXXXXX. Throws ToolFailure.
std::filesystem::path make_temporary_directory(const std::string& prefix);

class Daemon {
 public:
  // Starts binary on the log at url; root is the repository (rules/, examples/, schemas/), dir
  // holds the signing key (kept across restarts); extra arguments follow the others. Throws
  // ToolFailure when it does not start.
  Daemon(const std::filesystem::path& binary, const std::filesystem::path& root, const std::filesystem::path& dir,
         const std::string& url, unsigned threads, const std::vector<std::string>& extra = {});
  ~Daemon();  // SIGKILL if still running
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  std::uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  // SIGTERM and wait; the exit status (-1 if killed by a signal).
  int terminate();
  // SIGKILL and wait: a crash.
  void kill_hard();

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::uint16_t port_ = 0;
};

// `subsidy-admin tokens create --role role`: the bearer it prints once. Throws ToolFailure.
std::string create_token(const std::filesystem::path& admin, const std::string& url, const std::string& role);
// GET target on 127.0.0.1:port: the status, 0 when nothing answered.
int get_status(std::uint16_t port, const std::string& target);
// Waits until GET /healthz answers 200; throws ToolFailure after about 10 s.
void wait_until_serving(std::uint16_t port);
// The head seq of the log at url. Throws ToolFailure.
std::uint64_t head_seq(const std::string& url);
// The directory of this executable, where subsidyd and subsidy-admin are built too.
std::filesystem::path own_directory();

}  // namespace subsidy::tools
