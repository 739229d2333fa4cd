// One description of a record's fields serves both directions: `fields(io, value)` is written
// once per type and run with FieldWriter to encode or FieldReader to decode, so the two can
// never drift apart. The reader enforces every limit and enum range as it goes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger::detail {

class FieldWriter {
 public:
  explicit FieldWriter(Writer& w) : w_(w) {}
  static constexpr bool kReading = false;

  bool u8(Field, std::uint8_t& v) { return w_.u8(v), true; }
  bool u16(Field, std::uint16_t& v) { return w_.u16(v), true; }
  bool u32(Field, std::uint32_t& v) { return w_.u32(v), true; }
  bool u64(Field, std::uint64_t& v) { return w_.u64(v), true; }
  bool i64(Field, std::int64_t& v) { return w_.i64(v), true; }
  bool i32(Field, std::int32_t& v) { return w_.u32(static_cast<std::uint32_t>(v)), true; }
  bool i8(Field, std::int8_t& v) { return w_.u8(static_cast<std::uint8_t>(v)), true; }
  bool boolean(Field, bool& v) { return w_.u8(v ? 1 : 0), true; }
  bool hash(Field, Hash& h) { return w_.raw(h.bytes), true; }
  bool key(Field, PublicKey& k) { return w_.raw(k.bytes), true; }
  bool signature(Field, Signature& s) { return w_.raw(s.bytes), true; }
  bool string(Field, std::string& s, std::size_t) { return w_.string(s), true; }
  bool bytes(Field, Bytes& b, std::size_t) { return w_.bytes(b), true; }
  // An enum stored as u8, valid from `first` to `last`.
  template <class E>
  bool enum8(Field, E& e, E, E) {
    return w_.u8(static_cast<std::uint8_t>(e)), true;
  }
  template <class V, class Each>
  bool list(Field, std::vector<V>& items, std::size_t, std::size_t, Each each) {
    w_.count(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
      if (!each(*this, items[i], i)) return false;
    return true;
  }

 private:
  Writer& w_;
};

class FieldReader {
 public:
  explicit FieldReader(Reader& r) : r_(r) {}
  static constexpr bool kReading = true;

  bool u8(Field f, std::uint8_t& v) { return r_.u8(f, v); }
  bool u16(Field f, std::uint16_t& v) { return r_.u16(f, v); }
  bool u32(Field f, std::uint32_t& v) { return r_.u32(f, v); }
  bool u64(Field f, std::uint64_t& v) { return r_.u64(f, v); }
  bool i64(Field f, std::int64_t& v) { return r_.i64(f, v); }
  bool i32(Field f, std::int32_t& v) {
    std::uint32_t u = 0;
    if (!r_.u32(f, u)) return false;
    v = static_cast<std::int32_t>(u);
    return true;
  }
  bool i8(Field f, std::int8_t& v) {
    std::uint8_t u = 0;
    if (!r_.u8(f, u)) return false;
    v = static_cast<std::int8_t>(u);
    return true;
  }
  bool boolean(Field f, bool& v) {
    std::uint8_t u = 0;
    if (!r_.u8(f, u)) return false;
    if (u > 1) return r_.fail(f, "must be 0 or 1");
    v = u == 1;
    return true;
  }
  bool hash(Field f, Hash& h) { return r_.raw(f, h.bytes); }
  bool key(Field f, PublicKey& k) { return r_.raw(f, k.bytes); }
  bool signature(Field f, Signature& s) { return r_.raw(f, s.bytes); }
  bool string(Field f, std::string& s, std::size_t limit) { return r_.string(f, limit, s); }
  bool bytes(Field f, Bytes& b, std::size_t limit) { return r_.bytes(f, limit, b); }
  template <class E>
  bool enum8(Field f, E& e, E first, E last) {
    std::uint8_t u = 0;
    if (!r_.u8(f, u)) return false;
    if (u < static_cast<std::uint8_t>(first) || u > static_cast<std::uint8_t>(last))
      return r_.fail(f, "unknown value " + std::to_string(u));
    e = static_cast<E>(u);
    return true;
  }
  template <class V, class Each>
  bool list(Field f, std::vector<V>& items, std::size_t limit, std::size_t min_item_bytes,
            Each each) {
    std::size_t n = 0;
    if (!r_.count(f, limit, min_item_bytes, n)) return false;
    items.assign(n, V{});
    for (std::size_t i = 0; i < n; ++i)
      if (!each(*this, items[i], i)) return r_.within(Field(f.name, i));
    return true;
  }
  bool fail(Field f, std::string_view reason) { return r_.fail(f, reason); }

 private:
  Reader& r_;
};

}  // namespace pilemesh::ledger::detail
