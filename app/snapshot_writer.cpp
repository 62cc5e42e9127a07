#include "app/snapshot_writer.h"

#include "app/snapshot.h"

#include <pthread.h>

#include <iostream>

namespace subsidy::app {

SnapshotWriter::SnapshotWriter(std::filesystem::path path) : path_(std::move(path)) {
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "subsidyd-snap");
    run();
  });
}

SnapshotWriter::~SnapshotWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SnapshotWriter::submit(std::string state_bytes, Seq seq, std::string hash_hex) {
  {
    std::lock_guard lock(mutex_);
    pending_ = Pending{std::move(state_bytes), seq, std::move(hash_hex)};
  }
  wake_.notify_all();
}

store::Status SnapshotWriter::write_now(std::string_view state_bytes, Seq seq, std::string_view hash_hex) {
  {
    std::lock_guard lock(mutex_);
    pending_.reset();  // older than this one
  }
  std::lock_guard file(file_mutex_);
  return write_snapshot_file(path_, state_bytes, seq, hash_hex);
}

void SnapshotWriter::run() {
  for (;;) {
    Pending p;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || pending_.has_value(); });
      if (stopping_) return;
      p = std::move(*pending_);
      pending_.reset();
    }
    std::lock_guard file(file_mutex_);
    // A failed snapshot costs the next start time, never a decision: say so and go on.
    if (store::Status s = write_snapshot_file(path_, p.bytes, p.seq, p.hash); !s.ok()) {
      std::cerr << "subsidyd: writing a snapshot failed: " << s.error().message << "\n";
    }
  }
}

}  // namespace subsidy::app
