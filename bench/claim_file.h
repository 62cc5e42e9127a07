#pragma once
// Claims from a JSON Lines file instead of the built-in mix (claim_mix.h), so that exactly the
// same claims can be sent to subsidyd and to a reference server (issue 10: "--mix FILE"); and the
// built-in mix written out as such a file.

#include "bench/load_client.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace subsidy::tools {

// Every non-empty line of path, each a JSON object (a claim). Throws ToolFailure naming the line
// of the first one that is not, or when the file cannot be read or holds none.
std::vector<boost::json::object> read_claim_file(const std::filesystem::path& path);

// Request n is claim n mod size to target, its claim_id prefix + n: unique in a run however often
// the file is gone through, the rest of each claim as in the file.
// REQUIRES: !claims.empty().
RequestSource claims_from(std::vector<boost::json::object> claims, std::string target, std::string prefix);

// Writes the first count claims of the built-in mix to path, one per line, claim_ids prefix + n.
// Throws ToolFailure when the file cannot be written.
void write_mix_file(const std::filesystem::path& path, std::uint64_t count, const std::string& prefix);

}  // namespace subsidy::tools
