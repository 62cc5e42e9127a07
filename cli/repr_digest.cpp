#include "cli/repr_digest.h"

#include "audit/base64.h"
#include "audit/digest.h"
#include "engine/sha256.h"

#include <fstream>
#include <vector>

namespace subsidy::cli {

std::optional<std::string> file_repr_digest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  Sha256Stream sha256;
  std::vector<char> chunk(1 << 20);
  while (in) {
    in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    sha256.update(std::string_view(chunk.data(), static_cast<std::size_t>(in.gcount())));
  }
  if (in.bad()) return std::nullopt;
  std::optional<audit::Digest> digest = audit::digest_from_hex(sha256.finish());
  if (!digest) return std::nullopt;
  return "sha-256=:" + audit::base64_encode(*digest) + ":";
}

}  // namespace subsidy::cli
