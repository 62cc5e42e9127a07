// subsidy-scenarios: runs rule scenario files (docs/scenarios.md) and says which pass.
#include "app/scenario.h"

#include <boost/program_options.hpp>

#include <iostream>

namespace po = boost::program_options;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  po::options_description options("Usage: subsidy-scenarios [--root DIR] [--verbose] SCENARIO.json...\n\n"
                                  "Runs each scenario: decides its claims in order against its rulesets and\n"
                                  "catalogue, and compares every decision with what the scenario expects.\n\nOptions");
  options.add_options()("help,h", "show this help")
      ("root", po::value<std::string>()->default_value("."), "repository root that paths in scenarios are relative to")
      ("verbose,v", "print every decision a scenario produced")
      ("files", po::value<std::vector<std::string>>(), "scenario files");
  po::positional_options_description positional;
  positional.add("files", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "subsidy-scenarios: " << e.what() << "\n";
    return 2;
  }
  if (vm.count("help") || !vm.count("files")) {
    std::cout << options << "\n";
    return vm.count("help") ? 0 : 2;
  }
  int passed = 0, failed = 0;
  for (const auto& file : vm["files"].as<std::vector<std::string>>()) {
    auto result = subsidy::app::run_scenario_file(file, vm["root"].as<std::string>());
    std::cout << (result.passed ? "PASS " : "FAIL ") << file << ": " << result.name << "\n";
    for (const auto& f : result.failures) std::cout << "  " << f << "\n";
    if (!result.passed || vm.count("verbose")) {
      for (const auto& d : result.decisions) std::cout << "  decision " << d << "\n";
    }
    (result.passed ? passed : failed)++;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
