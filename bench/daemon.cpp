#include "bench/daemon.h"

#include "store/log_store.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>
#include <vector>
#include <sys/wait.h>
#include <unistd.h>

namespace subsidy::tools {

namespace fs = std::filesystem;

void die(const std::string& message) { throw ToolFailure(message); }

int run_tool(const char* name, const std::function<int()>& body) {
  try {
    return body();
  } catch (const ToolFailure& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n";
    return 2;
  }
}

fs::path make_temporary_directory(const std::string& prefix) {
  std::string pattern = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) die("cannot make a temporary directory");
  return pattern;
}

namespace {

// Starts argv[0] with argv; its standard output comes back through *out.
pid_t spawn(const std::vector<std::string>& argv, int* out) {
  int fds[2];
  if (::pipe(fds) != 0) die("pipe failed");
  pid_t pid = ::fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  *out = fds[0];
  return pid;
}

std::string read_line(int fd) {
  std::string line;
  char c;
  while (::read(fd, &c, 1) == 1 && c != '\n') line += c;
  return line;
}

int wait_exit(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

std::string create_token(const fs::path& admin, const std::string& url, const std::string& role) {
  int out = -1;
  pid_t pid = spawn({admin.string(), "--database", url, "tokens", "create", "--role", role, "--label", "tools-" + role}, &out);
  std::string bearer;
  for (std::string line = read_line(out); !line.empty(); line = read_line(out)) {
    if (line.rfind("token ", 0) == 0) bearer = line.substr(line.find_first_not_of(' ', 5));
  }
  ::close(out);
  if (wait_exit(pid) != 0 || bearer.empty()) die("subsidy-admin tokens create failed");
  return bearer;
}

int get_status(std::uint16_t port, const std::string& target) {
  namespace http = boost::beast::http;
  try {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{http::verb::get, target, 11};
    req.set(http::field::host, "127.0.0.1");
    http::write(socket, req);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(socket, buffer, res);
    return res.result_int();
  } catch (const std::exception&) {
    return 0;
  }
}

Daemon::Daemon(const fs::path& binary, const fs::path& root, const fs::path& dir, const std::string& url,
               unsigned threads, const std::vector<std::string>& extra) {
  std::vector<std::string> args = {binary.string(), "--port", "0", "--database", url, "--threads", std::to_string(threads),
                                   "--rules", (root / "rules").string(), "--catalogue",
                                   (root / "examples/catalogue.json").string(), "--key-file",
                                   (dir / "signing.key").string(), "--openapi-file",
                                   (root / "schemas/openapi.json").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  pid_ = spawn(args, &out_);
  std::string line = read_line(out_);
  auto colon = line.rfind(':', line.find(" (database"));
  if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
    ::kill(pid_, SIGKILL);  // the destructor does not run for a constructor that throws
    wait_exit(pid_);
    ::close(out_);
    die("subsidyd did not start (its messages are above)");
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line.substr(colon + 1)));
}

Daemon::~Daemon() {
  if (pid_ > 0) kill_hard();
  ::close(out_);
}

int Daemon::terminate() {
  ::kill(pid_, SIGTERM);
  int code = wait_exit(pid_);
  pid_ = -1;
  return code;
}

void Daemon::kill_hard() {
  ::kill(pid_, SIGKILL);
  wait_exit(pid_);
  pid_ = -1;
}

void wait_until_serving(std::uint16_t port) {
  for (int i = 0; get_status(port, "/healthz") != 200; ++i) {
    if (i == 1000) die("subsidyd does not answer /healthz");
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

std::uint64_t head_seq(const std::string& url) {
  auto log = store::LogStore::open(url);
  if (!log.ok()) die("opening the log: " + log.error().message);
  auto head = log.value()->head();
  if (!head.ok()) die("reading the head: " + head.error().message);
  return head.value().seq;
}

fs::path own_directory() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) die("cannot read /proc/self/exe");
  return self.parent_path();
}

}  // namespace subsidy::tools
