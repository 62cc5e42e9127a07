#include "store/record_codec.h"

#include "audit/digest.h"
#include "store/record_dictionary_data.h"
#include "store/record_format.h"
#include "store/soci_edge.h"

#include <soci/soci.h>
#include <zstd.h>

#include <map>

namespace subsidy::store {

struct RecordCodec::Dictionaries {
  std::map<std::uint32_t, ZSTD_DDict*> read;
  ZSTD_CDict* write = nullptr;  // nullptr: new records are stored as their text
  Dictionaries() = default;
  Dictionaries(const Dictionaries&) = delete;
  Dictionaries& operator=(const Dictionaries&) = delete;
  ~Dictionaries() {
    for (auto& [id, d] : read) ZSTD_freeDDict(d);
    ZSTD_freeCDict(write);
  }
};

struct RecordCodec::Contexts {
  ZSTD_CCtx* c = ZSTD_createCCtx();
  ZSTD_DCtx* d = ZSTD_createDCtx();
  Contexts() = default;
  Contexts(const Contexts&) = delete;
  Contexts& operator=(const Contexts&) = delete;
  ~Contexts() {
    ZSTD_freeCCtx(c);
    ZSTD_freeDCtx(d);
  }
};

namespace {

// zstd's default level: the 2,000-record sample of store/dictionaries/README.md gains 5% more
// from level 19 at twenty times the time.
constexpr int compression_level = 3;

bool is_text(std::string_view stored) { return !stored.empty() && stored.front() == '{'; }

}  // namespace

RecordDictionary builtin_record_dictionary() {
  std::optional<std::vector<std::uint8_t>> bytes = audit::bytes_from_hex(record_dictionary_1_hex);
  return RecordDictionary{1, bytes ? std::string(bytes->begin(), bytes->end()) : std::string()};
}

RecordCodec::RecordCodec()
    : dictionaries_(std::make_shared<const Dictionaries>()), contexts_(std::make_unique<Contexts>()) {}

RecordCodec::~RecordCodec() = default;
RecordCodec::RecordCodec(RecordCodec&&) noexcept = default;

RecordCodec::RecordCodec(const RecordCodec& other)
    : dictionaries_(other.dictionaries_), contexts_(std::make_unique<Contexts>()) {}

Result<RecordCodec> RecordCodec::make(const std::vector<RecordDictionary>& dictionaries, std::uint32_t write_id) {
  auto d = std::make_shared<Dictionaries>();
  for (const RecordDictionary& dict : dictionaries) {
    ZSTD_DDict* read = ZSTD_createDDict(dict.bytes.data(), dict.bytes.size());
    if (!read || ZSTD_getDictID_fromDDict(read) != dict.id) {
      ZSTD_freeDDict(read);
      return store_error(StoreCode::corruption, "record dictionary " + std::to_string(dict.id) +
                                                    " is not a zstd dictionary of that id");
    }
    d->read.emplace(dict.id, read);
    if (dict.id == write_id) d->write = ZSTD_createCDict(dict.bytes.data(), dict.bytes.size(), compression_level);
  }
  if (write_id != 0 && !d->write) {
    return store_error(StoreCode::corruption, "record dictionary " + std::to_string(write_id) + " is not stored");
  }
  RecordCodec codec;
  codec.dictionaries_ = std::move(d);
  return codec;
}

std::string_view RecordCodec::encode(std::string_view canonical) {
  if (!dictionaries_->write) return canonical;
  buffer_.resize(ZSTD_compressBound(canonical.size()));
  // A frame of ZSTD_compress_usingCDict has the content size (a read sizes its buffer by it) and
  // the dictionary's id (a read picks its dictionary by it), and no checksum: the chain hash
  // already guards every byte.
  std::size_t n = ZSTD_compress_usingCDict(contexts_->c, buffer_.data(), buffer_.size(), canonical.data(),
                                           canonical.size(), dictionaries_->write);
  // Compressing into a buffer of compressBound() bytes cannot fail short of memory exhaustion;
  // the text itself is always a valid stored form.
  if (ZSTD_isError(n)) return canonical;
  return std::string_view(buffer_.data(), n);
}

std::optional<std::string> RecordCodec::decode(std::string_view stored) {
  if (is_text(stored)) return std::string(stored);
  unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (size == ZSTD_CONTENTSIZE_UNKNOWN || size == ZSTD_CONTENTSIZE_ERROR || size > record_format::record_bytes_max) {
    return std::nullopt;
  }
  auto it = dictionaries_->read.find(ZSTD_getDictID_fromFrame(stored.data(), stored.size()));
  if (it == dictionaries_->read.end()) return std::nullopt;
  std::string text(static_cast<std::size_t>(size), '\0');
  std::size_t n = ZSTD_decompress_usingDDict(contexts_->d, text.data(), text.size(), stored.data(), stored.size(),
                                             it->second);
  if (ZSTD_isError(n) || n != text.size() || !is_text(text)) return std::nullopt;
  return text;
}

void RecordCodec::decode_in_place(std::string& stored) {
  if (is_text(stored)) return;
  if (std::optional<std::string> text = decode(stored)) stored = std::move(*text);
}

Result<RecordCodec> load_record_codec(soci::session& sql, bool compress_new_records) {
  Result<std::vector<RecordDictionary>> stored = guarded("reading the record dictionaries", [&] {
    std::vector<RecordDictionary> out;
    std::int64_t id = 0;
    std::string hex;
    soci::statement st = (sql.prepare << "SELECT id, dictionary FROM record_dictionaries ORDER BY id",
                          soci::into(id), soci::into(hex));
    st.execute();
    while (st.fetch()) {
      std::optional<std::vector<std::uint8_t>> bytes = audit::bytes_from_hex(hex);
      out.push_back(RecordDictionary{static_cast<std::uint32_t>(id),
                                     bytes ? std::string(bytes->begin(), bytes->end()) : std::string()});
    }
    return Result<std::vector<RecordDictionary>>(std::move(out));
  });
  if (!stored.ok()) return stored.error();
  std::uint32_t write_id = compress_new_records && !stored.value().empty() ? stored.value().back().id : 0;
  return RecordCodec::make(stored.value(), write_id);
}

}  // namespace subsidy::store
