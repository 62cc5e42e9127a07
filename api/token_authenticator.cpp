#include "api/token_authenticator.h"

#include <iostream>

namespace subsidy::api {

TokenAuthenticator::TokenAuthenticator(std::unique_ptr<store::TokenStore> tokens) : tokens_(std::move(tokens)) {}

std::optional<Principal> TokenAuthenticator::authenticate(std::string_view bearer) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (auto it = cache_.find(std::string(bearer)); it != cache_.end()) {
    if (now < it->second.until) return it->second.principal;
    cache_.erase(it);
  }
  auto found = tokens_->authenticate(bearer);
  if (!found.ok()) {
    std::cerr << "subsidyd: token look-up failed: " << found.error().message << '\n';
    return std::nullopt;
  }
  if (!found.value()) return std::nullopt;
  const store::TokenInfo& info = *found.value();
  Principal principal{info.id, info.role, info.credit_code};
  if (cache_.size() >= token_cache_entries_max) cache_.clear();
  cache_.emplace(std::string(bearer), Cached{principal, now + token_cache_ms});
  return principal;
}

}  // namespace subsidy::api
