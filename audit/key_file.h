#pragma once
// The log's signing key on disk: one unencrypted PKCS#8 PEM file ("-----BEGIN PRIVATE KEY-----"),
// readable by the server's user only. It is written under a temporary name created with
// O_CREAT | O_EXCL and mode 0600, then linked into place: an existing key is never overwritten,
// a reader never sees half a key, and the file is never, even briefly, readable by others.
// Nothing here logs, prints or returns the private key; error messages name only the path.

#include "audit/result.h"
#include "audit/signing.h"

#include <cstddef>
#include <string>

namespace subsidy::audit {

// A PEM private key is a few hundred bytes; a larger file is not ours.
inline constexpr std::size_t key_file_bytes_max = 16 * 1024;

// Reads the key at path. Errors: not_found if there is no file; io_error if it cannot be read;
// corruption if it is not a PEM private key of alg or is larger than key_file_bytes_max.
Result<SigningKey> load_key_file(const std::string& path, SigAlg alg);

// Generates a key of alg and writes it to a new file at path with mode 0600, then syncs the file
// and its directory so that heads signed with the key are never left without it after a crash.
// Errors: already_exists if path exists; io_error (the directory must allow creating
// path + ".new-<pid>" and hard links); crypto_error. On failure nothing is left behind.
Result<SigningKey> create_key_file(const std::string& path, SigAlg alg);

// load_key_file(path, alg), or create_key_file(path, alg) if there is no file yet. Two processes
// starting at once end up with the same key: the one that loses the race loads the other's.
Result<SigningKey> load_or_create_key_file(const std::string& path, SigAlg alg);

}  // namespace subsidy::audit
