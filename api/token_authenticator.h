#pragma once
// The Authenticator over the store's token table (store/token_store.h): one TokenStore
// connection behind a mutex, and a small cache of answers so that a busy server does not run a
// query per request.
//
// Revocation: an answer is cached for at most token_cache_ms, so a token revoked with
// `subsidy-admin tokens revoke` stops working within that time (2 s) on a running server.
// Unknown tokens are not cached (a client guessing cannot fill the cache); the cache holds at
// most token_cache_entries_max entries and is emptied when full.

#include "api/authenticator.h"
#include "store/token_store.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace subsidy::api {

inline constexpr std::chrono::milliseconds token_cache_ms{2'000};
inline constexpr std::size_t token_cache_entries_max = 10'000;

class TokenAuthenticator final : public Authenticator {
 public:
  explicit TokenAuthenticator(std::unique_ptr<store::TokenStore> tokens);
  std::optional<Principal> authenticate(std::string_view bearer) override;

 private:
  struct Cached {
    Principal principal;
    std::chrono::steady_clock::time_point until;
  };
  std::mutex mutex_;
  std::unique_ptr<store::TokenStore> tokens_;
  std::unordered_map<std::string, Cached> cache_;  // by bearer
};

}  // namespace subsidy::api
