#pragma once
// The sha-256 member of a request's Repr-Digest header (RFC 9530: a structured-field dictionary,
// "sha-256=:<base64>:, sha-512=:…:"). subsidy-admin sends it with a registry import so that a
// file imported before is answered before its body is read; the body, when read, must match it.

#include "api/http_types.h"

#include <string>

namespace subsidy::api {

struct ReprDigest {
  enum class Kind { absent, sha256, malformed };
  Kind kind = Kind::absent;  // absent: no header, or no sha-256 member (other algorithms are ignored)
  std::string sha256_hex;    // Kind::sha256: the 32 bytes as 64 lowercase hex digits
};

ReprDigest request_sha256_digest(const Request& request);

}  // namespace subsidy::api
