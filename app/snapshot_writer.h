#pragma once
// Writes snapshot files (snapshot.h) on a thread of its own, so that neither stage of the
// pipeline waits for a file to reach the disk. One snapshot waits at a time: a newer one
// replaces one not yet begun (only the latest matters to the next start).

#include "app/state.h"
#include "store/status.h"

#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace subsidy::app {

class SnapshotWriter {
 public:
  explicit SnapshotWriter(std::filesystem::path path);
  // Finishes the snapshot being written, drops one still waiting, and joins the thread.
  ~SnapshotWriter();
  SnapshotWriter(const SnapshotWriter&) = delete;
  SnapshotWriter& operator=(const SnapshotWriter&) = delete;

  // Hands over encode_state() bytes covering the log up to seq, whose record's hash is hash_hex.
  // REQUIRES: record seq is committed.
  void submit(std::string state_bytes, Seq seq, std::string hash_hex);
  // Writes on the caller's thread, after the one being written (a stop's last snapshot).
  store::Status write_now(std::string_view state_bytes, Seq seq, std::string_view hash_hex);

  const std::filesystem::path& path() const { return path_; }

 private:
  struct Pending {
    std::string bytes;
    Seq seq = 0;
    std::string hash;
  };
  void run();

  const std::filesystem::path path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::optional<Pending> pending_;
  bool stopping_ = false;
  std::mutex file_mutex_;  // one write of the file at a time
  std::thread thread_;
};

}  // namespace subsidy::app
