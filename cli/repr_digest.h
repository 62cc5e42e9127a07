#pragma once
// The Repr-Digest header (RFC 9530) of a file: "sha-256=:<base64 of the 32-byte SHA-256>:". A
// registry import sends it, so that a server which imported that file before answers at once,
// without reading a body of a million rows again.

#include <optional>
#include <string>

namespace subsidy::cli {

// The header's value for the file's bytes, read through once; nullopt when it cannot be read.
std::optional<std::string> file_repr_digest(const std::string& path);

}  // namespace subsidy::cli
