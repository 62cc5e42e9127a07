#include "app/snapshot.h"

#include "app/files.h"
#include "app/state_codec.h"
#include "audit/digest.h"
#include "engine/sha256.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <initializer_list>
#include <optional>
#include <unistd.h>

namespace subsidy::app {
namespace {

// Version 2 added the person registry, version 3 the class filings: a file of an earlier version
// is refused, and the log folded instead.
constexpr std::string_view magic = "subsidy-snapshot 3\n";
constexpr std::size_t checksum_bytes = 32;

void put_fixed(std::string& out, std::uint64_t v, std::size_t bytes) {
  for (std::size_t i = 0; i < bytes; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// Reads a little-endian integer of `bytes` bytes at `at`, moving past it; false past the end.
bool get_fixed(std::string_view in, std::size_t& at, std::size_t bytes, std::uint64_t& v) {
  if (in.size() - at < bytes) return false;
  v = 0;
  for (std::size_t i = 0; i < bytes; ++i) v |= std::uint64_t{static_cast<std::uint8_t>(in[at + i])} << (8 * i);
  at += bytes;
  return true;
}

std::string system_error(const std::filesystem::path& path, std::string_view what) {
  return "snapshot " + path.string() + ": " + std::string(what) + ": " + std::strerror(errno);
}

// The pieces one after the other, as one file.
store::Status write_all_and_sync(const std::filesystem::path& path, std::initializer_list<std::string_view> pieces) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return store::store_error(store::StoreCode::database_error, system_error(path, "open"));
  for (std::string_view bytes : pieces) {
    while (!bytes.empty()) {
      ssize_t n = ::write(fd, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        store::StoreError e{store::StoreCode::database_error, system_error(path, "write"), 0};
        ::close(fd);
        return e;
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  if (::fsync(fd) != 0) {
    store::StoreError e{store::StoreCode::database_error, system_error(path, "fsync"), 0};
    ::close(fd);
    return e;
  }
  ::close(fd);
  return {};
}

store::StoreError corrupt(const std::filesystem::path& path, std::string_view why) {
  return store::store_error(store::StoreCode::corruption, "snapshot " + path.string() + ": " + std::string(why));
}

}  // namespace

store::Status write_snapshot_file(const std::filesystem::path& path, std::string_view state_bytes, Seq seq,
                                  std::string_view hash_hex) {
  // The state is not copied into the file's text: a million persons' state is 125 MB, and a copy
  // of it was most of what a snapshot of it added to the server's peak memory.
  std::string head(magic);
  put_fixed(head, seq, 8);
  put_fixed(head, hash_hex.size(), 4);
  head.append(hash_hex);
  put_fixed(head, state_bytes.size(), 8);
  Sha256Stream sum;
  sum.update(head);
  sum.update(state_bytes);
  std::optional<audit::Digest> checksum = audit::digest_from_hex(sum.finish());
  if (!checksum) return store::store_error(store::StoreCode::database_error, "snapshot: the checksum failed");
  const std::string_view checksum_text(reinterpret_cast<const char*>(checksum->data()), checksum_bytes);

  std::filesystem::path temporary = path;
  temporary += ".tmp";
  if (store::Status s = write_all_and_sync(temporary, {head, state_bytes, checksum_text}); !s.ok()) return s;
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    return store::store_error(store::StoreCode::database_error, system_error(path, "rename"));
  }
  std::filesystem::path directory = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  int dir = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return store::store_error(store::StoreCode::database_error, system_error(directory, "open"));
  int synced = ::fsync(dir);
  ::close(dir);
  if (synced != 0) return store::store_error(store::StoreCode::database_error, system_error(directory, "fsync"));
  return {};
}

store::Result<Snapshot> read_snapshot_file(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return store::store_error(store::StoreCode::not_found, "snapshot " + path.string() + ": no such file");
  }
  std::string error;
  std::optional<std::string> read = read_file(path, error);
  if (!read) return store::store_error(store::StoreCode::database_error, "snapshot: " + error);
  std::string_view file = *read;
  if (!file.starts_with(magic)) return corrupt(path, "not a snapshot of this format");
  if (file.size() < magic.size() + checksum_bytes) return corrupt(path, "torn (too short)");
  std::string_view body = file.substr(0, file.size() - checksum_bytes);
  audit::Digest sum = audit::hash(audit::HashAlg::sha256, audit::as_bytes(body));
  if (std::memcmp(sum.data(), file.data() + body.size(), checksum_bytes) != 0) {
    return corrupt(path, "torn or damaged (its checksum does not match)");
  }
  std::size_t at = magic.size();
  std::uint64_t seq = 0, hash_size = 0, state_size = 0;
  if (!get_fixed(body, at, 8, seq) || !get_fixed(body, at, 4, hash_size) || body.size() - at < hash_size) {
    return corrupt(path, "a header that ends early");
  }
  std::string hash(body.substr(at, hash_size));
  at += hash_size;
  if (!get_fixed(body, at, 8, state_size) || body.size() - at != state_size) {
    return corrupt(path, "a state of another length than its header says");
  }
  store::Result<State> state = decode_state(body.substr(at));
  if (!state.ok()) return corrupt(path, state.error().message);
  if (state.value().seq() != seq) return corrupt(path, "a state of another seq than its header says");
  return Snapshot{std::move(state.value()), std::move(hash)};
}

}  // namespace subsidy::app
