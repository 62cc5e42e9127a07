#pragma once
// The server a command talks to, from --server or SUBSIDY_SERVER: "http://127.0.0.1:8080",
// "https://subsidy.example.org", "http://[::1]:8080/base". No user, query or fragment: a token
// goes in its header, never in a URL that ends up in shell history and proxy logs.

#include <optional>
#include <string>
#include <string_view>

namespace subsidy::cli {

struct ServerUrl {
  bool tls = false;        // https
  std::string host;        // "127.0.0.1", "::1" (without brackets), "subsidy.example.org"
  std::string port;        // "8080"; the scheme's when the URL names none
  std::string authority;   // for the Host header: "127.0.0.1:8080", "[::1]:8080", "subsidy.example.org"
  std::string base_path;   // "" or "/base", never ending in '/'
  std::string text;        // as given, for messages

  // base_path + path ("/v1/registry/imports").
  std::string target(std::string_view path) const;
};

// nullopt with error set ("the URL must start with http:// or https://") when text is not one.
std::optional<ServerUrl> parse_server_url(std::string_view text, std::string& error);

}  // namespace subsidy::cli
