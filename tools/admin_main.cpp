// subsidy-admin: the administrator's tool for API tokens (api.md "Roles"). A token is shown once,
// when created; the store keeps only the SHA-256 of its secret.
//
//   subsidy-admin [--database URL] tokens create --role clerk|institution|auditor|admin
//                                                [--credit-code CODE] [--label TEXT]
//   subsidy-admin [--database URL] tokens list
//   subsidy-admin [--database URL] tokens revoke ID
//
// A revoked token stops working on a running server within api/token_authenticator.h's cache
// time (2 s).

#include "store/clock.h"
#include "store/token_store.h"

#include <boost/program_options.hpp>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

namespace po = boost::program_options;
using namespace subsidy;

constexpr const char* usage =
    "usage: subsidy-admin [--database URL] tokens create --role clerk|institution|auditor|admin\n"
    "                                                    [--credit-code CODE] [--label TEXT]\n"
    "       subsidy-admin [--database URL] tokens list\n"
    "       subsidy-admin [--database URL] tokens revoke ID\n";

int fail(const std::string& message, int code = 1) {
  std::cerr << "subsidy-admin: " << message << '\n';
  return code;
}

int create(store::TokenStore& tokens, const po::variables_map& vm) {
  if (!vm.count("role")) return fail("tokens create needs --role", 2);
  auto role = store::parse_role(vm["role"].as<std::string>());
  if (!role) return fail("unknown role " + vm["role"].as<std::string>() + " (clerk, institution, auditor, admin)", 2);
  std::string code = vm.count("credit-code") ? vm["credit-code"].as<std::string>() : "";
  std::string label = vm.count("label") ? vm["label"].as<std::string>() : "";
  store::SystemClock clock;
  auto made = tokens.create(*role, code, label, clock);
  if (!made.ok()) return fail(made.error().message);
  const store::NewToken& t = made.value();
  std::cout << "id      " << t.info.id << "\nrole    " << store::role_name(t.info.role) << '\n';
  if (!t.info.credit_code.empty()) std::cout << "entity  " << t.info.credit_code << '\n';
  std::cout << "token   " << t.bearer << "\n(shown once: only its hash is stored)\n";
  return 0;
}

int list(store::TokenStore& tokens) {
  auto all = tokens.list();
  if (!all.ok()) return fail(all.error().message);
  std::cout << "id                role         credit_code         created_at            revoked_at            label\n";
  for (const store::TokenInfo& t : all.value()) {
    std::string role(store::role_name(t.role));
    std::cout << t.id << "  " << role << std::string(role.size() < 13 ? 13 - role.size() : 1, ' ')
              << (t.credit_code.empty() ? std::string(18, '-') : t.credit_code) << "  " << t.created_at << "  "
              << (t.revoked_at.empty() ? "active              " : t.revoked_at) << "  " << t.label << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description options("options");
  const char* env_database = std::getenv("SUBSIDY_DATABASE");
  // clang-format off
  options.add_options()
    ("help,h", "this help")
    ("database", po::value<std::string>()->default_value(env_database ? env_database : "sqlite://./data/subsidy.db"),
     "the server's database (as subsidyd --database; SUBSIDY_DATABASE)")
    ("role", po::value<std::string>(), "tokens create: clerk, institution, auditor or admin")
    ("credit-code", po::value<std::string>(), "tokens create: the institution's unified social credit code")
    ("label", po::value<std::string>(), "tokens create: a note saying whose token it is")
    ("command", po::value<std::vector<std::string>>(), "tokens create | list | revoke ID");
  // clang-format on
  po::positional_options_description positional;
  positional.add("command", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const std::exception& e) {
    return fail(std::string(e.what()) + "\n" + usage, 2);
  }
  if (vm.count("help")) {
    std::cout << usage << '\n' << options;
    return 0;
  }
  std::vector<std::string> command = vm.count("command") ? vm["command"].as<std::vector<std::string>>()
                                                         : std::vector<std::string>{};
  if (command.size() < 2 || command[0] != "tokens") return fail(usage, 2);
  auto tokens = store::TokenStore::open(vm["database"].as<std::string>());
  if (!tokens.ok()) return fail(tokens.error().message);
  if (command[1] == "create" && command.size() == 2) return create(*tokens.value(), vm);
  if (command[1] == "list" && command.size() == 2) return list(*tokens.value());
  if (command[1] == "revoke" && command.size() == 3) {
    store::SystemClock clock;
    auto revoked = tokens.value()->revoke(command[2], clock);
    if (!revoked.ok()) return fail(revoked.error().message);
    std::cout << "revoked " << command[2] << '\n';
    return 0;
  }
  return fail(usage, 2);
}
