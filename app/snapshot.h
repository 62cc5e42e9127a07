#pragma once
// The file a server keeps its state in between starts (issue 10), so that a start reads the
// snapshot and the log's tail, not the whole log: the encoded State (state_codec.h), the seq and
// hash of the last record it covers, and a SHA-256 over all of it, which a torn or damaged file
// fails. The log stays the truth: a start checks the snapshot's hash against the log's record at
// its seq and otherwise folds the log from seq 1 (app/sequencer.cpp); an auditor's replay never
// reads a snapshot. Layout (all integers little-endian):
//
//   "subsidy-snapshot 3\n"   magic and format version (19 bytes)
//   u64 seq, u32 n, n bytes: the hex hash of record seq
//   u64 m, m bytes: encode_state()
//   32 bytes: SHA-256 of everything before

#include "app/state.h"
#include "store/status.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace subsidy::app {

struct Snapshot {
  State state;
  std::string hash;  // hex hash of record state.seq() as the log had it
};

// Writes the snapshot of a state (state_bytes = encode_state(), covering the log up to seq,
// whose record's hash is hash_hex) in place of path, atomically: path + ".tmp" is written,
// flushed to disk and renamed over path, and the directory flushed, so that a crash leaves the
// old snapshot or the new one. Errors: database_error naming the file and the system's reason.
store::Status write_snapshot_file(const std::filesystem::path& path, std::string_view state_bytes, Seq seq,
                                  std::string_view hash_hex);

// Errors: not_found (no file at path); corruption (not a snapshot, another format version, torn,
// a checksum that does not match, a state that does not decode or covers another seq).
store::Result<Snapshot> read_snapshot_file(const std::filesystem::path& path);

}  // namespace subsidy::app
