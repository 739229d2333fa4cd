// The view of the ledger state a contract works on: key/value bytes, read and written through
// the application's overlays, so that a failing transaction changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace pilemesh::ledger {

using Bytes = std::vector<std::uint8_t>;

class KvState {
 public:
  virtual ~KvState() = default;
  virtual std::optional<Bytes> get(const Bytes& key) const = 0;
  virtual void put(const Bytes& key, Bytes value) = 0;
  virtual void erase(const Bytes& key) = 0;
};

}  // namespace pilemesh::ledger
