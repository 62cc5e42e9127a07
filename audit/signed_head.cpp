#include "audit/signed_head.h"

#include "audit/base64.h"
#include "audit/canonical_json.h"
#include "audit/log_format.h"
#include "audit/rfc3339.h"

#include <boost/json/string.hpp>

namespace subsidy::audit {
namespace {

using namespace log_format;

Error invalid(std::string_view member, std::string_view problem) {
  return make_error(ErrorCode::invalid_argument,
                    "head member \"" + std::string(member) + "\" " + std::string(problem));
}

bool is_hex_digest(std::string_view text) { return digest_from_hex(text).has_value(); }

// The string member name of object, or nullopt if it is missing or not a string.
std::optional<std::string_view> string_member(const boost::json::object& object, std::string_view name) {
  const auto* member = object.if_contains(name);
  if (member == nullptr || !member->is_string()) return std::nullopt;
  return std::string_view(member->get_string().data(), member->get_string().size());
}

// seq as a non-negative JSON integer (int64 or uint64 as Boost.JSON happens to store it).
std::optional<std::uint64_t> seq_member(const boost::json::object& object) {
  const auto* member = object.if_contains(head_seq_field);
  if (member == nullptr) return std::nullopt;
  if (member->is_uint64()) return member->get_uint64();
  if (member->is_int64() && member->get_int64() >= 0) return static_cast<std::uint64_t>(member->get_int64());
  return std::nullopt;
}

Status check_algorithms_match(SigAlg head_alg, SigAlg key_alg) {
  if (head_alg == key_alg) return {};
  return invalid(head_sig_alg_field, "names " + std::string(sig_alg_name(head_alg)) + " but the key is " +
                                         std::string(sig_alg_name(key_alg)));
}

}  // namespace

Status check_head(const Head& head) {
  if (head.seq > static_cast<std::uint64_t>(canonical_integer_magnitude_max)) {
    return invalid(head_seq_field, "is too large");
  }
  if (!is_hex_digest(head.hash)) return invalid(head_hash_field, "is not 64 lowercase hex characters");
  if (!is_hex_digest(head.merkle_root)) {
    return invalid(head_merkle_root_field, "is not 64 lowercase hex characters");
  }
  if (!is_rfc3339_utc(head.signed_at)) return invalid(head_signed_at_field, "is not an RFC 3339 UTC time");
  return {};
}

boost::json::object head_to_json(const Head& head) {
  boost::json::object out;
  out[head_seq_field] = head.seq;
  out[head_hash_field] = head.hash;
  out[head_merkle_root_field] = head.merkle_root;
  out[head_signed_at_field] = head.signed_at;
  out[head_hash_alg_field] = hash_alg_name(head.hash_alg);
  out[head_sig_alg_field] = sig_alg_name(head.sig_alg);
  return out;
}

Result<Head> head_from_json(const boost::json::value& json) {
  if (!json.is_object()) return make_error(ErrorCode::invalid_argument, "head is not a JSON object");
  const auto& object = json.get_object();
  Head head;
  const auto seq = seq_member(object);
  if (!seq) return invalid(head_seq_field, "is missing or not a non-negative integer");
  head.seq = *seq;
  for (auto [name, target] :
       {std::pair{head_hash_field, &head.hash}, std::pair{head_merkle_root_field, &head.merkle_root},
        std::pair{head_signed_at_field, &head.signed_at}}) {
    const auto text = string_member(object, name);
    if (!text) return invalid(name, "is missing or not a string");
    *target = std::string(*text);
  }
  const auto hash_alg = parse_hash_alg(string_member(object, head_hash_alg_field).value_or(""));
  if (!hash_alg) return invalid(head_hash_alg_field, "is not a known hash algorithm");
  const auto sig_alg = parse_sig_alg(string_member(object, head_sig_alg_field).value_or(""));
  if (!sig_alg) return invalid(head_sig_alg_field, "is not a known signature algorithm");
  head.hash_alg = *hash_alg;
  head.sig_alg = *sig_alg;
  if (auto s = check_head(head); !s.ok()) return s.error();
  return head;
}

Result<std::string> head_signing_bytes(const Head& head) {
  if (auto s = check_head(head); !s.ok()) return s.error();
  return canonical_json(head_to_json(head));
}

Result<std::string> sign_head(const SigningKey& key, const Head& head) {
  if (auto s = check_algorithms_match(head.sig_alg, key.alg()); !s.ok()) return s.error();
  auto bytes = head_signing_bytes(head);
  if (!bytes.ok()) return bytes.error();
  auto signature = key.sign(as_bytes(bytes.value()));
  if (!signature.ok()) return signature.error();
  return base64_encode(signature.value());
}

Status verify_head(const PublicKey& public_key, const Head& head, std::string_view signature_base64) {
  if (auto s = check_algorithms_match(head.sig_alg, public_key.alg); !s.ok()) return s;
  auto bytes = head_signing_bytes(head);
  if (!bytes.ok()) return bytes.error();
  if (signature_base64.size() > signature_base64_chars_max) {
    return make_error(ErrorCode::invalid_argument, "signature is too long");
  }
  const auto signature = base64_decode(signature_base64);
  if (!signature) return make_error(ErrorCode::invalid_argument, "signature is not base64");
  return verify_signature(public_key, as_bytes(bytes.value()), *signature);
}

}  // namespace subsidy::audit
