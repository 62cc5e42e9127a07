#include "audit/key_file.h"

#include "audit/openssl_errors.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <fcntl.h>
#include <unistd.h>
#include <cerrno>
#include <cstring>
#include <string_view>

namespace subsidy::audit {
namespace {

constexpr mode_t key_file_mode = 0600;

Error io_error(const std::string& what, const std::string& path) {
  return make_error(ErrorCode::io_error, what + " " + path + ": " + std::strerror(errno));
}

// Closes the descriptor on every path out of a function.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Key bytes in memory are wiped when no longer needed, so that a later core dump or swapped page
// does not carry them.
class SecretBuffer {
 public:
  SecretBuffer() = default;
  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  ~SecretBuffer() { OPENSSL_cleanse(bytes.data(), bytes.size()); }
  std::string bytes;
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads at most key_file_bytes_max + 1 bytes, enough to tell that a file is too large.
Status read_bounded(int fd, const std::string& path, std::string& out) {
  out.resize(key_file_bytes_max + 1);
  std::size_t used = 0;
  while (used < out.size()) {
    const ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("cannot read key file", path);
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > key_file_bytes_max) return make_error(ErrorCode::corruption, "key file is too large: " + path);
  out.resize(used);
  return {};
}

Result<SigningKey> parse_pem(const std::string& pem, const std::string& path, SigAlg alg) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  // An encrypted key is refused: OpenSSL's default would prompt for a passphrase on the terminal.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* pkey = bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(bio, nullptr, no_passphrase, nullptr);
  BIO_free(bio);
  if (pkey == nullptr) {
    return make_error(ErrorCode::corruption,
                      "key file holds no PEM private key (" + drain_openssl_errors() + "): " + path);
  }
  auto key = SigningKey::adopt(alg, pkey);
  if (!key.ok()) return make_error(ErrorCode::corruption, key.error().message + ": " + path);
  return key;
}

// The PEM text of key, in a buffer that wipes itself.
Status encode_pem(const SigningKey& key, SecretBuffer& out) {
  BIO* bio = BIO_new(BIO_s_secmem());
  const bool ok =
      bio != nullptr && PEM_write_bio_PrivateKey(bio, key.pkey(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  char* data = nullptr;
  const long length = ok ? BIO_get_mem_data(bio, &data) : 0;
  if (ok && length > 0) out.bytes.assign(data, static_cast<std::size_t>(length));
  BIO_free(bio);
  if (out.bytes.empty()) return make_error(ErrorCode::crypto_error, "cannot encode the key as PEM: " + drain_openssl_errors());
  ERR_clear_error();
  return {};
}

// The directory entry of a new file is durable only once its directory is synced.
Status sync_directory(const std::string& path) {
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
  const FileDescriptor fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.get() < 0 || ::fsync(fd.get()) != 0) return io_error("cannot sync directory of", path);
  return {};
}

// Creates path (mode key_file_mode, never an existing file) holding bytes, synced; on failure
// nothing is left at path.
Status write_new_file(const std::string& path, std::string_view bytes) {
  const FileDescriptor fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, key_file_mode));
  if (fd.get() < 0) return io_error("cannot create", path);
  if (write_all(fd.get(), bytes) && ::fsync(fd.get()) == 0) return {};
  const Error error = io_error("cannot write", path);
  ::unlink(path.c_str());
  return error;
}

}  // namespace

Result<SigningKey> load_key_file(const std::string& path, SigAlg alg) {
  const FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return make_error(ErrorCode::not_found, "no key file " + path);
    return io_error("cannot open key file", path);
  }
  SecretBuffer pem;
  if (auto s = read_bounded(fd.get(), path, pem.bytes); !s.ok()) return s.error();
  return parse_pem(pem.bytes, path, alg);
}

Result<SigningKey> create_key_file(const std::string& path, SigAlg alg) {
  auto key = SigningKey::generate(alg);
  if (!key.ok()) return key.error();
  SecretBuffer pem;
  if (auto s = encode_pem(key.value(), pem); !s.ok()) return s.error();
  // Written in full under a temporary name first and then linked into place, which fails if
  // path exists: a reader never sees a half-written key, and nothing is overwritten.
  const std::string temporary = path + ".new-" + std::to_string(::getpid());
  if (auto s = write_new_file(temporary, pem.bytes); !s.ok()) return s.error();
  const int linked = ::link(temporary.c_str(), path.c_str());
  const int link_errno = errno;
  ::unlink(temporary.c_str());
  if (linked != 0) {
    errno = link_errno;
    if (errno == EEXIST) return make_error(ErrorCode::already_exists, "key file exists: " + path);
    return io_error("cannot create key file", path);
  }
  if (auto s = sync_directory(path); !s.ok()) return s.error();
  return key;
}

Result<SigningKey> load_or_create_key_file(const std::string& path, SigAlg alg) {
  auto loaded = load_key_file(path, alg);
  if (loaded.ok() || loaded.error().code != ErrorCode::not_found) return loaded;
  auto created = create_key_file(path, alg);
  if (!created.ok() && created.error().code == ErrorCode::already_exists) {
    return load_key_file(path, alg);
  }
  return created;
}

}  // namespace subsidy::audit
