#include "cli/server_url.h"

#include <algorithm>
#include <cctype>

namespace subsidy::cli {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::string ServerUrl::target(std::string_view path) const { return base_path + std::string(path); }

std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& error) {
  ServerUrl url;
  url.text = std::string(text);
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    error = "the server URL must start with http:// or https://: " + url.text;
    return std::nullopt;
  }
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos || path.find_first_of("?#") != std::string_view::npos ||
      authority.find_first_of("?#") != std::string_view::npos) {
    error = "the server URL may not hold a user, a query or a fragment: " + url.text;
    return std::nullopt;
  }
  std::string_view port;
  if (authority.starts_with('[')) {  // an IPv6 address, RFC 3986's IP-literal
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      error = "unclosed '[' in the server URL: " + url.text;
      return std::nullopt;
    }
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) {
      error = "unexpected text after ']' in the server URL: " + url.text;
      return std::nullopt;
    }
    if (!after.empty()) port = after.substr(1);
  } else {
    std::size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (url.host.empty()) {
    error = "the server URL names no host: " + url.text;
    return std::nullopt;
  }
  if (!port.empty() && (!all_digits(port) || port.size() > 5 || std::stoul(std::string(port)) > 65535 ||
                        std::stoul(std::string(port)) == 0)) {
    error = "bad port in the server URL: " + url.text;
    return std::nullopt;
  }
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  url.authority = std::string(authority);
  while (path.ends_with('/')) path.remove_suffix(1);
  url.base_path = std::string(path);
  return url;
}

}  // namespace subsidy::cli
