// A small binary codec: the building blocks of the canonical ledger encoding, also used by
// contract payloads. Integers are big-endian and fixed-width; variable-length fields carry a
// u32 length prefix; lists a u32 count. Writer appends to a byte vector. Reader consumes a span,
// never reads past its end, and keeps the first failure as a reason naming the field
// ("nonce: truncated: needs 8 bytes, 3 left").
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pilemesh::ledger {

using Bytes = std::vector<std::uint8_t>;

class Writer {
 public:
  Writer() = default;
  explicit Writer(std::size_t reserve) { out_.reserve(reserve); }

  void u8(std::uint8_t v) { out_.push_back(v); }
  void u16(std::uint16_t v);
  void u32(std::uint32_t v);
  void u64(std::uint64_t v);
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }  // two's complement
  // A fixed-size field (a key, a hash): the bytes only, no prefix.
  void raw(std::span<const std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  // A variable-size field: u32 length, then the bytes.
  void bytes(std::span<const std::uint8_t> bytes);
  void string(std::string_view s);
  // A list's u32 item count.
  void count(std::size_t n);

  // A length-prefixed nested object written in place, without a temporary buffer:
  //   auto mark = w.begin_nested(); ...write the object...; w.end_nested(mark);
  std::size_t begin_nested();
  void end_nested(std::size_t mark);

  std::size_t size() const { return out_.size(); }
  const Bytes& data() const { return out_; }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

// A field name for error messages, optionally with a list index: "txs[3]". Cheap to pass: it
// is only formatted when something fails.
struct Field {
  Field(const char* field_name) : name(field_name) {}       // NOLINT: implicit on purpose
  Field(std::string_view field_name) : name(field_name) {}  // NOLINT
  Field(std::string_view field_name, std::size_t i) : name(field_name), index(i), indexed(true) {}
  std::string to_string() const;

  std::string_view name;
  std::size_t index = 0;
  bool indexed = false;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}

  // Each read returns false on failure and leaves the output unspecified; after the first
  // failure every read fails and error() keeps the first reason.
  bool u8(Field field, std::uint8_t& out);
  bool u16(Field field, std::uint16_t& out);
  bool u32(Field field, std::uint32_t& out);
  bool u64(Field field, std::uint64_t& out);
  bool i64(Field field, std::int64_t& out);
  // A fixed-size field of exactly out.size() bytes.
  bool raw(Field field, std::span<std::uint8_t> out);
  // A length-prefixed field of at most `limit` bytes. The limit is checked before anything is
  // allocated, so a lying prefix costs nothing.
  bool bytes(Field field, std::size_t limit, Bytes& out);
  bool string(Field field, std::size_t limit, std::string& out);
  // A length-prefixed field as a view into the input, for nested objects: no copy.
  bool nested(Field field, std::size_t limit, std::span<const std::uint8_t>& out);
  // A list's count, at most `limit`, and each item at least `min_item_bytes` long: a count the
  // remaining input cannot hold is refused before the caller reserves space for it.
  bool count(Field field, std::size_t limit, std::size_t min_item_bytes, std::size_t& out);
  // Succeeds when the whole input was consumed.
  bool finish();

  // Records a failure of `field` (the first one wins) and returns false.
  bool fail(Field field, std::string_view reason);
  // Prefixes the recorded failure with the enclosing field ("branches[1]: " + reason) and
  // returns false; used when a nested part failed.
  bool within(Field field);

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t remaining() const { return data_.size() - pos_; }

 private:
  bool need(Field field, std::size_t n);
  std::uint64_t take_be(std::size_t n);

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace pilemesh::ledger
