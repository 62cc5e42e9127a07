#pragma once
// Signatures over the log's heads: Ed25519 (RFC 8032) by default, or SM2 (GB/T 32918.2, with SM3
// and the distinguishing ID in log_format.h) where the national algorithms are required. Both
// through OpenSSL 3's EVP interface.
//
// A SigningKey holds a private key inside OpenSSL and never exposes its bytes; the only ways out
// are signatures and the key file written by key_file.h.

#include "audit/digest.h"
#include "audit/result.h"

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace subsidy::audit {

enum class SigAlg : std::uint8_t { ed25519, sm2 };

// "ed25519" / "sm2".
std::string_view sig_alg_name(SigAlg alg);
// The inverse of sig_alg_name; nullopt for any other text.
std::optional<SigAlg> parse_sig_alg(std::string_view name);

// A public key in its raw form: 32 bytes for Ed25519, the 65-byte uncompressed point
// (0x04 || x || y) for SM2.
struct PublicKey {
  SigAlg alg = SigAlg::ed25519;
  std::vector<std::uint8_t> raw;
  bool operator==(const PublicKey&) const = default;
};

// Hex of H(public_key.raw): the key's name in published heads. The spec says SHA-256; a log that
// uses SM3 names its keys with SM3 too, so the hash is the log's.
std::string key_id(HashAlg alg, const PublicKey& public_key);

class SigningKey {
 public:
  // A fresh key from OpenSSL's CSPRNG. Errors: crypto_error.
  static Result<SigningKey> generate(SigAlg alg);
  // Takes ownership of pkey, a private key read by key_file.h (freed also on error).
  // Errors: invalid_argument if pkey is not a key of alg.
  static Result<SigningKey> adopt(SigAlg alg, EVP_PKEY* pkey);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;
  ~SigningKey();

  SigAlg alg() const { return alg_; }
  const PublicKey& public_key() const { return public_key_; }
  // The signature over message: 64 bytes for Ed25519, DER (r, s) of at most 72 for SM2.
  // Errors: crypto_error.
  Result<std::vector<std::uint8_t>> sign(ByteSpan message) const;
  // Signs a probe message and verifies the signature: what a server runs at start so that it
  // never runs with a key this machine's OpenSSL cannot sign with.
  // Errors: crypto_error naming the algorithm, the OpenSSL version and OpenSSL's reasons.
  Status self_test() const;
  // For key_file.h only: OpenSSL's handle, still owned by this key.
  const EVP_PKEY* pkey() const { return pkey_.get(); }

 private:
  struct PkeyFree {
    void operator()(EVP_PKEY* pkey) const;
  };
  SigningKey(SigAlg alg, EVP_PKEY* pkey, PublicKey public_key);

  SigAlg alg_;
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey_;
  PublicKey public_key_;
};

// The SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----") of public_key, which the stock
// `openssl pkeyutl -verify -pubin -inkey` reads. Errors: invalid_argument if the key is not a
// valid key of its algorithm; crypto_error.
Result<std::string> public_key_pem(const PublicKey& public_key);

// Success iff signature is public_key's signature over message.
// Errors: invalid_argument if the public key is not a valid key of its algorithm;
// verification_failed if the signature does not verify.
Status verify_signature(const PublicKey& public_key, ByteSpan message, ByteSpan signature);

}  // namespace subsidy::audit
