#include "api/repr_digest.h"

#include "audit/base64.h"
#include "audit/digest.h"

#include <string_view>

namespace subsidy::api {

namespace {

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

ReprDigest request_sha256_digest(const Request& request) {
  auto field = request.find("Repr-Digest");
  if (field == request.end()) return {};
  std::string_view members(field->value().data(), field->value().size());
  while (!members.empty()) {
    std::size_t comma = members.find(',');
    std::string_view member = trimmed(members.substr(0, comma));
    members = comma == std::string_view::npos ? std::string_view() : members.substr(comma + 1);
    std::size_t equals = member.find('=');
    if (trimmed(member.substr(0, equals)) != "sha-256") continue;
    if (equals == std::string_view::npos) return {ReprDigest::Kind::malformed, {}};
    std::string_view value = trimmed(member.substr(equals + 1));
    if (value.size() < 2 || value.front() != ':' || value.back() != ':') return {ReprDigest::Kind::malformed, {}};
    std::optional<std::vector<std::uint8_t>> bytes = audit::base64_decode(value.substr(1, value.size() - 2));
    if (!bytes || bytes->size() != 32) return {ReprDigest::Kind::malformed, {}};
    audit::Digest digest{};
    std::copy(bytes->begin(), bytes->end(), digest.begin());
    return {ReprDigest::Kind::sha256, audit::to_hex(digest)};
  }
  return {};
}

}  // namespace subsidy::api
