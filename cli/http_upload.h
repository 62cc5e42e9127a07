#pragma once
// One HTTP/1.1 POST of a file's bytes (or of a string), unchanged, over http or https (Boost.Beast, OpenSSL),
// streamed: the file is read and sent in chunks, so memory does not grow with it (an export may be
// 100+ MB). The answer is read while the body is still going out: a server may answer (401, 413)
// and close before it has read it all, and that answer is what the user must see, not the broken
// pipe the rest of the body then meets.

#include "cli/server_url.h"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>

namespace subsidy::cli {

struct UploadRequest {
  ServerUrl server;
  std::string target;        // "/v1/registry/imports", with the server's base path
  std::string bearer;        // sent as "Authorization: Bearer <bearer>"
  std::string content_type;  // "text/csv"
  std::string file;          // its bytes are the body; Content-Length is its size
  std::string repr_digest;   // sent as the Repr-Digest header (RFC 9530) unless ""
  // https: the certificates to trust instead of the system's store (a private CA); "" = the store.
  std::string ca_file;
  std::size_t chunk_bytes = 64 * 1024;
  std::chrono::milliseconds connect_timeout{15'000};   // resolving, connecting, the TLS handshake
  std::chrono::milliseconds idle_timeout{60'000};      // while sending: no chunk accepted for this long
  // After the last byte: the server reads and checks the whole file before it answers.
  std::chrono::milliseconds answer_timeout{600'000};
};

// Called on the calling thread, between chunks.
struct UploadObserver {
  std::function<void(std::uint64_t total)> started;  // connected; the body begins
  std::function<void(std::uint64_t sent)> sent;      // after each chunk
  std::function<void()> body_sent;                   // the last byte is sent
};

struct HttpAnswer {
  unsigned status = 0;
  std::string reason;        // "Unauthorized", as the status line gave it
  std::string content_type;  // "application/problem+json"
  std::string retry_after;   // the Retry-After header, "" when absent
  std::string body;
  bool whole_body_sent = false;  // false: the server answered before the file's last byte
};

struct UploadError {
  enum class Kind {
    file,     // the file cannot be read, or changed size while being sent
    address,  // the host name does not resolve
    refused,  // nothing listens at the address (connection refused)
    connect,  // other connection failures, including a timeout
    tls,      // the handshake failed: untrusted certificate, wrong name, no common protocol
    transfer  // the connection broke or timed out, and no answer came
  };
  Kind kind;
  std::string message;  // what went wrong, naming neither the server nor the file (the caller does)
};

using UploadResult = std::variant<HttpAnswer, UploadError>;

// Runs the exchange on the calling thread; never throws for network or file failures.
UploadResult upload_file(const UploadRequest& request, const UploadObserver& observer = {});

// The same exchange with `body` as the request body (request.file is not read): a small JSON
// document such as one class filing.
UploadResult post_bytes(const UploadRequest& request, const std::string& body);

}  // namespace subsidy::cli
