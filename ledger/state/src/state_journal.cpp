#include "pilemesh/ledger/state_journal.hpp"

#include <stdexcept>
#include <string>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::ledger::state_journal {
namespace {

constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kErase = 0;
constexpr std::uint8_t kPut = 1;
// The smallest change: a 4-byte key length, a 1-byte key and the kind.
constexpr std::size_t kMinChangeBytes = 6;

}  // namespace

Bytes encode(const Changes& changes) {
  std::size_t size = 5;
  for (const auto& [key, value] : changes) size += 9 + key.size() + (value ? value->size() : 0);
  Writer w(size);
  w.u8(kVersion);
  w.count(changes.size());
  for (const auto& [key, value] : changes) {
    w.bytes(key);
    w.u8(value ? kPut : kErase);
    if (value) w.bytes(*value);
  }
  return w.take();
}

void decode_into(std::span<const std::uint8_t> row, Changes& into) {
  Reader r(row);
  std::uint8_t version = 0;
  std::size_t n = 0;
  if (r.u8("version", version) && version != kVersion)
    r.fail("version", "is " + std::to_string(version) + ", expected 1");
  r.count("changes", SIZE_MAX, kMinChangeBytes, n);
  const Bytes* previous = nullptr;
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    Bytes key;
    std::uint8_t kind = 0;
    if (!r.bytes("key", kMaxStateKeyBytes, key) || !r.u8("kind", kind)) {
      r.within(Field("changes", i));
      break;
    }
    if (key.empty() || (previous != nullptr && !(*previous < key))) {
      r.fail(Field("changes", i), "keys must be non-empty and in increasing order");
      break;
    }
    std::optional<Bytes> value;
    if (kind == kPut) {
      Bytes v;
      if (!r.bytes("value", kMaxStateValueBytes, v)) {
        r.within(Field("changes", i));
        break;
      }
      value = std::move(v);
    } else if (kind != kErase) {
      r.fail(Field("changes", i), "kind " + std::to_string(kind) + " is neither 0 nor 1");
      break;
    }
    auto [it, fresh] = into.insert_or_assign(std::move(key), std::move(value));
    previous = &it->first;
  }
  r.finish();
  if (!r.ok()) throw std::runtime_error(r.error());
}

}  // namespace pilemesh::ledger::state_journal
