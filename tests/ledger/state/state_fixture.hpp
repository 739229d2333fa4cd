// A ledger.db in a temporary folder, its state store, and helpers for byte keys.
#pragma once

#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pilemesh/ledger/ledger_store.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::test {

inline Bytes bytes_of(std::string_view text) {
  return Bytes(text.begin(), text.end());
}

inline Bytes random_bytes(std::mt19937& rng, std::size_t min_size, std::size_t max_size) {
  std::uniform_int_distribution<std::size_t> size(min_size, max_size);
  std::uniform_int_distribution<int> byte(0, 255);
  Bytes out(size(rng));
  for (auto& b : out) b = static_cast<std::uint8_t>(byte(rng));
  return out;
}

// `count` distinct keys ("k<n>") that fall into one bucket, so that tests reach buckets with
// several entries, which random keys in a small state almost never do.
inline std::vector<Bytes> keys_in_one_bucket(std::size_t count) {
  std::map<std::uint32_t, std::vector<Bytes>> buckets;
  for (std::uint64_t n = 0;; ++n) {
    Bytes key = bytes_of("k" + std::to_string(n));
    auto& same = buckets[state_bucket(key)];
    same.push_back(std::move(key));
    if (same.size() == count) return same;
  }
}

class StateFixture {
 public:
  StateFixture() : ledger_(LedgerStore::open(dir_.path() / "ledger.db")) {}
  StateStore& state() { return ledger_.state(); }
  LedgerStore& ledger() { return ledger_; }

 private:
  pilemesh::test::TempDir dir_;
  LedgerStore ledger_;
};

}  // namespace pilemesh::ledger::test
