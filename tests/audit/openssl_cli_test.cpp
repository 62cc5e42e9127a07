// Signatures an auditor can check without our tools: what the engine signs verifies with the stock
// `openssl pkeyutl` command line, and what the command line signs verifies with the engine, for
// Ed25519 and for SM2 (SM3, distinguishing ID 1234567812345678). The `openssl` program is
// installed by tools/setup.sh.

#include "audit/key_file.h"
#include "audit/log_format.h"
#include "audit/openssl_errors.h"
#include "audit/signing.h"

#include "support/temporary_directory.h"

#include <doctest/doctest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

using namespace subsidy::audit;
namespace fs = std::filesystem;

namespace {

using subsidy::testing::TemporaryDirectory;

void write(const std::string& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  REQUIRE(out.good());
}

void write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  write(path, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Run {
  int status = -1;
  std::string output;  // stdout and stderr
};

// Runs a shell command; its output goes to a file beside the other files of the test.
Run run(const TemporaryDirectory& dir, const std::string& command) {
  const std::string out = dir.file("output.txt");
  const int raw = std::system((command + " >" + out + " 2>&1").c_str());
  Run r;
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  r.output = read(out);
  return r;
}

// The options of `openssl pkeyutl` that select the algorithm's signing scheme.
std::string scheme_options(SigAlg alg, std::string_view id = log_format::sm2_distinguishing_id) {
  if (alg == SigAlg::ed25519) return "-rawin";
  return "-rawin -digest sm3 -pkeyopt distid:" + std::string(id);
}

constexpr std::string_view message =
    R"({"hash":"5f1e","hash_alg":"sm3","merkle_root":"9a0b","seq":3,"sig_alg":"sm2","signed_at":"2026-12-06T08:30:00Z"})";

}  // namespace

TEST_CASE("the engine's signatures verify with the openssl command line") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    TemporaryDirectory dir("audit_openssl_cli");
    auto key = SigningKey::generate(alg);
    REQUIRE_MESSAGE(key.ok(), key.error().message);
    auto signature = key.value().sign(as_bytes(message));
    REQUIRE_MESSAGE(signature.ok(), signature.error().message);
    auto pem = public_key_pem(key.value().public_key());
    REQUIRE_MESSAGE(pem.ok(), pem.error().message);
    CHECK(pem.value().starts_with("-----BEGIN PUBLIC KEY-----\n"));
    write(dir.file("pub.pem"), pem.value());
    write(dir.file("msg"), message);
    write(dir.file("other"), std::string(message) + " ");
    write(dir.file("sig"), signature.value());

    const std::string verify = "openssl pkeyutl -verify -pubin -inkey " + dir.file("pub.pem") + " -sigfile " +
                               dir.file("sig") + " ";
    Run good = run(dir, verify + scheme_options(alg) + " -in " + dir.file("msg"));
    CHECK_MESSAGE(good.status == 0, good.output);
    CHECK(good.output.find("Signature Verified Successfully") != std::string::npos);

    Run changed = run(dir, verify + scheme_options(alg) + " -in " + dir.file("other"));
    CHECK(changed.status != 0);
    CHECK(changed.output.find("Signature Verification Failure") != std::string::npos);
    if (alg == SigAlg::sm2) {
      // The ID is part of what is signed (Z): another one does not verify.
      Run other_id = run(dir, verify + scheme_options(alg, "8765432187654321") + " -in " + dir.file("msg"));
      CHECK(other_id.status != 0);
    }
  }
}

TEST_CASE("the openssl command line's signatures verify with the engine") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    TemporaryDirectory dir("audit_openssl_cli");
    const std::string algorithm = alg == SigAlg::ed25519 ? "ED25519" : "SM2";
    Run keygen = run(dir, "openssl genpkey -algorithm " + algorithm + " -out " + dir.file("key.pem"));
    REQUIRE_MESSAGE(keygen.status == 0, keygen.output);
    write(dir.file("msg"), message);
    Run signed_by_cli = run(dir, "openssl pkeyutl -sign -inkey " + dir.file("key.pem") + " " + scheme_options(alg) +
                                     " -in " + dir.file("msg") + " -out " + dir.file("sig"));
    REQUIRE_MESSAGE(signed_by_cli.status == 0, signed_by_cli.output);

    auto key = load_key_file(dir.file("key.pem"), alg);
    REQUIRE_MESSAGE(key.ok(), key.error().message);
    const std::string sig = read(dir.file("sig"));
    const ByteSpan signature(reinterpret_cast<const std::uint8_t*>(sig.data()), sig.size());
    Status verified = verify_signature(key.value().public_key(), as_bytes(message), signature);
    CHECK_MESSAGE(verified.ok(), (verified.ok() ? "" : verified.error().message));
    std::string other(message);
    other[2] = 'H';
    CHECK(verify_signature(key.value().public_key(), as_bytes(other), signature).error().code ==
          ErrorCode::verification_failed);
  }
}

TEST_CASE("a key's public PEM is the one the openssl command line derives from its private key") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    TemporaryDirectory dir("audit_openssl_cli");
    auto key = create_key_file(dir.file("key.pem"), alg);
    REQUIRE_MESSAGE(key.ok(), key.error().message);
    Run derived = run(dir, "openssl pkey -in " + dir.file("key.pem") + " -pubout -out " + dir.file("pub.pem"));
    REQUIRE_MESSAGE(derived.status == 0, derived.output);
    auto pem = public_key_pem(key.value().public_key());
    REQUIRE(pem.ok());
    CHECK(pem.value() == read(dir.file("pub.pem")));
  }
}

TEST_CASE("a key signs and verifies its self-test on this machine") {
  for (const SigAlg alg : {SigAlg::ed25519, SigAlg::sm2}) {
    CAPTURE(sig_alg_name(alg));
    auto key = SigningKey::generate(alg);
    REQUIRE(key.ok());
    Status tested = key.value().self_test();
    CHECK_MESSAGE(tested.ok(), (tested.ok() ? "" : tested.error().message));
  }
}

TEST_CASE("OpenSSL's error queue is reported, and an empty one says so") {
  ERR_clear_error();
  CHECK(drain_openssl_errors() == "OpenSSL gave no reason");
  EVP_PKEY* none = EVP_PKEY_Q_keygen(nullptr, nullptr, "NO-SUCH-ALGORITHM");
  CHECK(none == nullptr);
  const std::string reasons = drain_openssl_errors();
  CHECK(reasons != "OpenSSL gave no reason");
  CHECK(reasons.find("error:") != std::string::npos);
  CHECK(reasons.find("error:00000000") == std::string::npos);
  CHECK(drain_openssl_errors() == "OpenSSL gave no reason");  // the queue was emptied
}
