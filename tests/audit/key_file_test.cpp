#include "audit/key_file.h"

#include "support/temporary_directory.h"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>
#include <string>

using namespace subsidy::audit;
namespace fs = std::filesystem;

namespace {

using subsidy::testing::TemporaryDirectory;

// Restores the process umask when the test ends.
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a created key file is mode 0600 PEM and reloads as the same key") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    const TemporaryDirectory dir("audit_key_test");
    const std::string path = dir.file("signing.pem");
    const Umask permissive(0);  // the mode must not depend on the umask
    auto created = create_key_file(path, alg);
    REQUIRE_MESSAGE(created.ok(), created.error().message);

    struct stat info {};
    REQUIRE(::stat(path.c_str(), &info) == 0);
    CHECK((info.st_mode & 07777) == 0600);
    CHECK(read(path).rfind("-----BEGIN PRIVATE KEY-----\n", 0) == 0);
    CHECK(dir.entries() == 1);  // no temporary file left behind

    auto loaded = load_key_file(path, alg);
    REQUIRE(loaded.ok());
    CHECK(key_id(HashAlg::sha256, loaded.value().public_key()) ==
          key_id(HashAlg::sha256, created.value().public_key()));
    // A signature by the reloaded key verifies under the created key's public key.
    const auto signature = loaded.value().sign(as_bytes("head"));
    REQUIRE(signature.ok());
    CHECK(verify_signature(created.value().public_key(), as_bytes("head"), signature.value()).ok());
  }
}

TEST_CASE("an existing key file is never overwritten") {
  const TemporaryDirectory dir("audit_key_test");
  const std::string path = dir.file("signing.pem");
  REQUIRE(create_key_file(path, SigAlg::ed25519).ok());
  const std::string before = read(path);
  CHECK(create_key_file(path, SigAlg::ed25519).error().code == ErrorCode::already_exists);
  CHECK(read(path) == before);
  CHECK(dir.entries() == 1);
}

TEST_CASE("load_or_create creates once, then loads the same key") {
  const TemporaryDirectory dir("audit_key_test");
  const std::string path = dir.file("signing.pem");
  auto first = load_or_create_key_file(path, SigAlg::ed25519);
  REQUIRE(first.ok());
  auto second = load_or_create_key_file(path, SigAlg::ed25519);
  REQUIRE(second.ok());
  CHECK(second.value().public_key() == first.value().public_key());
}

TEST_CASE("missing, foreign and damaged key files are reported, not replaced") {
  const TemporaryDirectory dir("audit_key_test");
  CHECK(load_key_file(dir.file("absent.pem"), SigAlg::ed25519).error().code == ErrorCode::not_found);
  CHECK(create_key_file(dir.file("no/such/dir.pem"), SigAlg::ed25519).error().code == ErrorCode::io_error);

  const std::string ed = dir.file("ed.pem");
  REQUIRE(create_key_file(ed, SigAlg::ed25519).ok());
  CHECK(load_key_file(ed, SigAlg::sm2).error().code == ErrorCode::corruption);
  CHECK(load_or_create_key_file(ed, SigAlg::sm2).error().code == ErrorCode::corruption);

  const std::string garbage = dir.file("garbage.pem");
  std::ofstream(garbage) << "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n";
  const auto error = load_key_file(garbage, SigAlg::ed25519).error();
  CHECK(error.code == ErrorCode::corruption);
  CHECK(error.message.find(garbage) != std::string::npos);

  const std::string huge = dir.file("huge.pem");
  std::ofstream(huge) << std::string(key_file_bytes_max + 1, 'A');
  CHECK(load_key_file(huge, SigAlg::ed25519).error().code == ErrorCode::corruption);
}

TEST_CASE("error messages do not contain key material") {
  const TemporaryDirectory dir("audit_key_test");
  const std::string path = dir.file("ed.pem");
  REQUIRE(create_key_file(path, SigAlg::ed25519).ok());
  const std::string pem = read(path);
  const std::string body = pem.substr(pem.find('\n') + 1, 40);
  const auto error = load_key_file(path, SigAlg::sm2).error();
  CHECK(error.message.find(body) == std::string::npos);
}
