#include "audit/signing.h"

#include "audit/log_format.h"
#include "audit/openssl_errors.h"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>

#include <array>

namespace subsidy::audit {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;

const char* openssl_name(SigAlg alg) { return alg == SigAlg::ed25519 ? "ED25519" : "SM2"; }

std::size_t raw_public_key_bytes(SigAlg alg) {
  return alg == SigAlg::ed25519 ? log_format::ed25519_public_key_bytes : log_format::sm2_public_key_bytes;
}

// An error carrying every reason OpenSSL queued (openssl_errors.h); the queue is emptied so that
// a stale entry cannot be mistaken for a later failure's cause.
Error crypto_error(std::string what) {
  return make_error(ErrorCode::crypto_error, what + ": " + drain_openssl_errors());
}

Result<PublicKey> raw_public_key(SigAlg alg, const EVP_PKEY* pkey) {
  PublicKey key{alg, std::vector<std::uint8_t>(raw_public_key_bytes(alg))};
  std::size_t length = key.raw.size();
  const int ok = alg == SigAlg::ed25519
                     ? EVP_PKEY_get_raw_public_key(pkey, key.raw.data(), &length)
                     : EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, key.raw.data(),
                                                       key.raw.size(), &length);
  if (ok != 1) return crypto_error("cannot read the public key");
  if (length != key.raw.size()) return make_error(ErrorCode::crypto_error, "unexpected public key size");
  return key;
}

// An SM2 point from its uncompressed encoding; OpenSSL checks that it lies on the curve.
EVP_PKEY* sm2_public_key(const PublicKey& key) {
  const std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> ctx(EVP_PKEY_CTX_new_from_name(nullptr, "SM2", nullptr));
  char group[] = "SM2";
  std::vector<std::uint8_t> point = key.raw;
  std::array<OSSL_PARAM, 3> params = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* pkey = nullptr;
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params.data()) != 1) {
    return nullptr;
  }
  return pkey;
}

PkeyPtr openssl_public_key(const PublicKey& key) {
  if (key.raw.size() != raw_public_key_bytes(key.alg)) return nullptr;
  if (key.alg == SigAlg::sm2) return PkeyPtr(sm2_public_key(key));
  return PkeyPtr(EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr, key.raw.data(), key.raw.size()));
}

// A digest-sign or digest-verify context. Ed25519 signs the message itself (no prehash); SM2
// signs SM3(Z || message), where Z binds the public key and the distinguishing ID. The ID is set
// on a key context attached before the init, the route of SM2(7) and of OpenSSL's own tests:
// passing it as an init parameter (OSSL_PKEY_PARAM_DIST_ID) fails on OpenSSL 3.0.19.
class DigestContext {
 public:
  // Errors: crypto_error with OpenSSL's reasons.
  Status init(SigAlg alg, EVP_PKEY* pkey, bool for_signing) {
    md_.reset(EVP_MD_CTX_new());
    if (!md_) return crypto_error("cannot allocate a digest context");
    const char* md = nullptr;
    if (alg == SigAlg::sm2) {
      md = "SM3";
      key_.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr));
      const std::string_view id = log_format::sm2_distinguishing_id;
      if (!key_ || EVP_PKEY_CTX_set1_id(key_.get(), id.data(), static_cast<int>(id.size())) != 1) {
        return crypto_error("cannot set the SM2 distinguishing ID");
      }
      EVP_MD_CTX_set_pkey_ctx(md_.get(), key_.get());  // borrowed: key_ outlives md_
    }
    const int ok = for_signing ? EVP_DigestSignInit_ex(md_.get(), nullptr, md, nullptr, nullptr, pkey, nullptr)
                               : EVP_DigestVerifyInit_ex(md_.get(), nullptr, md, nullptr, nullptr, pkey, nullptr);
    if (ok != 1) return crypto_error(for_signing ? "sign init failed" : "verify init failed");
    return {};
  }
  EVP_MD_CTX* get() const { return md_.get(); }

 private:
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> key_;  // declared first, so freed after md_
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> md_;
};

}  // namespace

std::string_view sig_alg_name(SigAlg alg) {
  return alg == SigAlg::ed25519 ? log_format::sig_alg_ed25519_name : log_format::sig_alg_sm2_name;
}

std::optional<SigAlg> parse_sig_alg(std::string_view name) {
  if (name == log_format::sig_alg_ed25519_name) return SigAlg::ed25519;
  if (name == log_format::sig_alg_sm2_name) return SigAlg::sm2;
  return std::nullopt;
}

std::string key_id(HashAlg alg, const PublicKey& public_key) {
  return to_hex(hash(alg, ByteSpan(public_key.raw)));
}

Result<std::string> public_key_pem(const PublicKey& public_key) {
  const PkeyPtr pkey = openssl_public_key(public_key);
  if (!pkey) {
    ERR_clear_error();
    return make_error(ErrorCode::invalid_argument,
                      "public key is not a valid " + std::string(sig_alg_name(public_key.alg)) + " key");
  }
  const std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) return crypto_error("cannot encode the public key as PEM");
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio.get(), &data);
  if (length <= 0 || data == nullptr) return crypto_error("cannot encode the public key as PEM");
  return std::string(data, static_cast<std::size_t>(length));
}

void SigningKey::PkeyFree::operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }

SigningKey::SigningKey(SigAlg alg, EVP_PKEY* pkey, PublicKey public_key)
    : alg_(alg), pkey_(pkey), public_key_(std::move(public_key)) {}

SigningKey::~SigningKey() = default;

Result<SigningKey> SigningKey::generate(SigAlg alg) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, openssl_name(alg));
  if (pkey == nullptr) return crypto_error("key generation failed");
  return adopt(alg, pkey);
}

Result<SigningKey> SigningKey::adopt(SigAlg alg, EVP_PKEY* pkey) {
  PkeyPtr owned(pkey);
  if (!owned || EVP_PKEY_is_a(owned.get(), openssl_name(alg)) != 1) {
    return make_error(ErrorCode::invalid_argument,
                      "key is not an " + std::string(sig_alg_name(alg)) + " key");
  }
  auto public_key = raw_public_key(alg, owned.get());
  if (!public_key.ok()) return public_key.error();
  return SigningKey(alg, owned.release(), std::move(public_key).value());
}

Result<std::vector<std::uint8_t>> SigningKey::sign(ByteSpan message) const {
  DigestContext ctx;
  if (Status s = ctx.init(alg_, pkey_.get(), true); !s.ok()) return s.error();
  std::vector<std::uint8_t> signature(log_format::signature_bytes_max);
  std::size_t length = signature.size();
  if (EVP_DigestSign(ctx.get(), signature.data(), &length, message.data(), message.size()) != 1) {
    return crypto_error("signing failed");
  }
  signature.resize(length);  // DER signatures can be shorter than the bound
  return signature;
}

Status SigningKey::self_test() const {
  static constexpr std::string_view probe = "subsidy-engine signing self-test";
  const ByteSpan message(reinterpret_cast<const std::uint8_t*>(probe.data()), probe.size());
  auto signature = sign(message);
  if (!signature.ok()) {
    return make_error(ErrorCode::crypto_error, std::string(sig_alg_name(alg_)) +
                                                   " cannot sign on this machine's OpenSSL (" +
                                                   OpenSSL_version(OPENSSL_VERSION) + "): " +
                                                   signature.error().message);
  }
  if (Status v = verify_signature(public_key_, message, ByteSpan(signature.value())); !v.ok()) {
    return make_error(ErrorCode::crypto_error, std::string(sig_alg_name(alg_)) +
                                                   " signatures made on this machine's OpenSSL (" +
                                                   OpenSSL_version(OPENSSL_VERSION) + ") do not verify: " +
                                                   v.error().message);
  }
  return {};
}

Status verify_signature(const PublicKey& public_key, ByteSpan message, ByteSpan signature) {
  const PkeyPtr pkey = openssl_public_key(public_key);
  if (!pkey) {
    ERR_clear_error();
    return make_error(ErrorCode::invalid_argument,
                      "public key is not a valid " + std::string(sig_alg_name(public_key.alg)) + " key");
  }
  DigestContext ctx;
  if (Status s = ctx.init(public_key.alg, pkey.get(), false); !s.ok()) return s;
  const int ok =
      EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size());
  ERR_clear_error();  // a bad signature leaves a DER or EC error behind; it is not ours to report
  if (ok != 1) return make_error(ErrorCode::verification_failed, "signature does not verify");
  return {};
}

}  // namespace subsidy::audit
