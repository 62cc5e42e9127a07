#pragma once
// An open-addressing hash index from keys to dense slot numbers (0, 1, 2, ... in insertion
// order), for the in-memory history's per-person and per-claim look-ups: one probe sequence in a
// flat array instead of a node per key, because a claim's cost is mostly these look-ups.

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace subsidy {

template <class Key, class Hash = std::hash<Key>, class Equal = std::equal_to<Key>>
class FlatIndex {
 public:
  // The slot of `key`, or nullopt.
  template <class K>
  std::optional<std::uint32_t> find(const K& key) const {
    if (size_ == 0) return std::nullopt;
    std::uint64_t h = Hash{}(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.slot == empty) return std::nullopt;
      if (e.hash == h && Equal{}(e.key, key)) return e.slot;
    }
  }

  // The slot of `key`, inserting it with the next slot number if absent; `inserted` tells which.
  std::uint32_t insert(const Key& key, bool& inserted) {
    if ((size_ + 1) * 4 > table_.size() * 3) grow();
    std::uint64_t h = Hash{}(key);
    for (std::size_t i = h & mask_;; i = (i + 1) & mask_) {
      Entry& e = table_[i];
      if (e.slot == empty) {
        e = Entry{h, static_cast<std::uint32_t>(size_++), key};
        inserted = true;
        return e.slot;
      }
      if (e.hash == h && Equal{}(e.key, key)) {
        inserted = false;
        return e.slot;
      }
    }
  }

  void reserve(std::size_t keys) {
    while (keys * 4 > table_.size() * 3) grow();
  }
  std::size_t size() const { return size_; }

  // Every key, indexed by its slot (insertion order): inserting them again in this order into an
  // empty index gives every key its slot again (a snapshot, app/state_codec.h).
  std::vector<const Key*> keys_by_slot() const {
    std::vector<const Key*> keys(size_, nullptr);
    for (const Entry& e : table_) {
      if (e.slot != empty) keys[e.slot] = &e.key;
    }
    return keys;
  }

 private:
  static constexpr std::uint32_t empty = UINT32_MAX;
  // The key lives in the entry: a look-up touches one place, not the entry and then a key array.
  struct Entry {
    std::uint64_t hash = 0;
    std::uint32_t slot = empty;
    Key key{};
  };

  void grow() {
    std::size_t capacity = table_.empty() ? 64 : table_.size() * 2;
    std::vector<Entry> old = std::move(table_);
    table_.assign(capacity, Entry{});
    mask_ = capacity - 1;
    for (Entry& e : old) {
      if (e.slot == empty) continue;
      std::size_t i = e.hash & mask_;
      while (table_[i].slot != empty) i = (i + 1) & mask_;
      table_[i] = std::move(e);
    }
  }

  std::vector<Entry> table_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
};

}  // namespace subsidy
