#pragma once
// A one-connection HTTP/1.1 server for the upload tests, on 127.0.0.1 and a port the system picks,
// served by its own thread (Beast, plain or TLS). It reads the request head, then either reads the
// body chunk by chunk, comparing it byte for byte with the file the test sent (its memory does
// not grow with the body), or reads none of it; then answers what the test's responder says, and
// closes. Closing with the body unread makes the kernel reset the connection under the client's
// writes, as a real server's early 401 or 413 does.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace subsidy::cli::test {

struct ReceivedRequest {
  std::string method, target, host, authorization, content_type, content_length, repr_digest;
  bool body_read = false;          // the server read the whole body (per Content-Length)
  std::uint64_t body_bytes = 0;    // bytes of body read
  bool matches_file = false;       // the body read is the file, byte for byte, all of it
  std::string sha256;              // of the body read, lowercase hex
  std::uint64_t lines = 0;         // '\n' in the body
  std::uint64_t first_fields = 0;  // runs of equal first CSV fields among the lines after the header
  std::string failure;             // what went wrong on the server's side ("" if nothing)
};

struct Reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
};

struct TlsFiles {
  std::string certificate, key;  // PEM files
};

// A self-signed P-256 certificate for the IP address 127.0.0.1 (in its subjectAltName).
TlsFiles write_self_signed(const std::filesystem::path& directory);

class UploadServer {
 public:
  using Responder = std::function<Reply(const ReceivedRequest&)>;
  // expected_file: what the body should be. read_body false: answer after the head alone.
  UploadServer(std::filesystem::path expected_file, bool read_body, Responder responder,
               std::optional<TlsFiles> tls = std::nullopt);
  ~UploadServer();
  UploadServer(const UploadServer&) = delete;
  UploadServer& operator=(const UploadServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:<port>" or https://
  // Waits (at most 60 s, then fails the test) until the connection is over: what was received.
  ReceivedRequest received();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A file of `rows` CSV rows after registry.md's header, two rows per person, sorted by id_number:
// rows / 2 persons (rounded up). Each row about 70 bytes.
void write_registry_csv(const std::filesystem::path& file, std::uint64_t rows);
// SHA-256 of a file, lowercase hex.
std::string file_sha256(const std::filesystem::path& file);

}  // namespace subsidy::cli::test
