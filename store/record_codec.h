#pragma once
// How a record's canonical text is kept in the `record` column of `log` (RECORD_FORMAT.md,
// "Stored form"): either the canonical text itself (every record before migration 6, and every
// record on PostgreSQL) or one zstd frame of it, compressed with a dictionary the log keeps in
// `record_dictionaries` and named by the frame. What is hashed and signed is the canonical text;
// a read gives it back byte for byte, whichever form is stored. Internal to store/.

#include "store/status.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace subsidy::store {

// One dictionary of the log: the id its zstd frames name, and its bytes.
struct RecordDictionary {
  std::uint32_t id = 0;
  std::string bytes;
};

// The dictionary migration 6 stores (store/dictionaries/record-1.zdict; how it was trained is in
// store/dictionaries/README.md).
RecordDictionary builtin_record_dictionary();

class RecordCodec {
 public:
  // Reads and writes the canonical text only (a log without dictionaries).
  RecordCodec();
  // Reads frames of any of dictionaries and the canonical text; writes frames of the dictionary
  // write_id, or the canonical text when write_id is 0. Errors (corruption): a dictionary zstd
  // cannot load; write_id not among them.
  static Result<RecordCodec> make(const std::vector<RecordDictionary>& dictionaries, std::uint32_t write_id);
  ~RecordCodec();
  // A copy shares the dictionaries and has its own zstd contexts: one codec per thread.
  RecordCodec(const RecordCodec& other);
  RecordCodec& operator=(const RecordCodec&) = delete;
  RecordCodec(RecordCodec&&) noexcept;

  // The stored form of canonical; valid until the next call.
  std::string_view encode(std::string_view canonical);
  // The canonical text of a stored form; nullopt if it is neither the text of an object nor a
  // frame of a dictionary this log has that decompresses within record_bytes_max.
  std::optional<std::string> decode(std::string_view stored);
  // Replaces stored by its canonical text; leaves it as it is when decode() fails, so that the
  // chain check reports the record (its bytes do not hash to its hash).
  void decode_in_place(std::string& stored);

 private:
  struct Dictionaries;
  struct Contexts;
  std::shared_ptr<const Dictionaries> dictionaries_;
  std::unique_ptr<Contexts> contexts_;
  std::string buffer_;
};

// The codec of the log sql holds: its dictionaries (schema version 6 or later); new records are
// compressed with the newest on SQLite and stored as text on PostgreSQL, whose SOCI binding
// carries text only. Errors: database_error; those of RecordCodec::make().
Result<RecordCodec> load_record_codec(soci::session& sql, bool compress_new_records);

}  // namespace subsidy::store
