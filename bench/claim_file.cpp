#include "bench/claim_file.h"

#include "bench/claim_mix.h"
#include "bench/daemon.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <memory>

namespace subsidy::tools {

namespace json = boost::json;

std::vector<json::object> read_claim_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) die("cannot read " + path.string());
  std::vector<json::object> claims;
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) die(path.string() + ":" + std::to_string(number) + ": not a JSON object");
    claims.push_back(std::move(v.as_object()));
  }
  if (claims.empty()) die(path.string() + ": no claims");
  return claims;
}

RequestSource claims_from(std::vector<json::object> claims, std::string target, std::string prefix) {
  // Shared, read-only: the source is copied into every client thread.
  auto kept = std::make_shared<const std::vector<json::object>>(std::move(claims));
  return [kept, target = std::move(target), prefix = std::move(prefix)](std::uint64_t n) {
    json::object claim = (*kept)[n % kept->size()];
    claim["claim_id"] = prefix + std::to_string(n);
    return LoadRequest{target, json::serialize(claim)};
  };
}

void write_mix_file(const std::filesystem::path& path, std::uint64_t count, const std::string& prefix) {
  std::ofstream out(path, std::ios::trunc);
  for (std::uint64_t n = 0; n < count && out; ++n) out << json::serialize(mixed_claim(n, prefix)) << '\n';
  out.flush();
  if (!out) die("cannot write " + path.string());
}

}  // namespace subsidy::tools
