#include "pilemesh/ledger/codec.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace pilemesh::ledger {

namespace {

void put_be(Bytes& out, std::uint64_t v, std::size_t n) {
  for (std::size_t i = n; i-- > 0;) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

std::uint32_t checked_u32(std::size_t n) {
  // Every length the ledger writes is bounded far below this; reaching it is a caller's bug.
  if (n > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("codec: " + std::to_string(n) + " does not fit a u32 prefix");
  }
  return static_cast<std::uint32_t>(n);
}

}  // namespace

void Writer::u16(std::uint16_t v) {
  put_be(out_, v, 2);
}
void Writer::u32(std::uint32_t v) {
  put_be(out_, v, 4);
}
void Writer::u64(std::uint64_t v) {
  put_be(out_, v, 8);
}

void Writer::bytes(std::span<const std::uint8_t> bytes) {
  u32(checked_u32(bytes.size()));
  raw(bytes);
}

void Writer::string(std::string_view s) {
  u32(checked_u32(s.size()));
  out_.insert(out_.end(), s.begin(), s.end());
}

void Writer::count(std::size_t n) {
  u32(checked_u32(n));
}

std::size_t Writer::begin_nested() {
  const std::size_t mark = out_.size();
  u32(0);  // patched by end_nested
  return mark;
}

void Writer::end_nested(std::size_t mark) {
  const std::uint32_t length = checked_u32(out_.size() - mark - 4);
  for (std::size_t i = 0; i < 4; ++i) {
    out_[mark + i] = static_cast<std::uint8_t>(length >> (8 * (3 - i)));
  }
}

std::string Field::to_string() const {
  std::string s(name);
  if (indexed) s += "[" + std::to_string(index) + "]";
  return s;
}

bool Reader::fail(Field field, std::string_view reason) {
  if (ok()) {
    error_ = field.to_string();
    error_ += ": ";
    error_ += reason;
  }
  return false;
}

bool Reader::within(Field field) {
  if (ok()) return fail(field, "failed");
  error_ = field.to_string() + ": " + error_;
  return false;
}

bool Reader::need(Field field, std::size_t n) {
  if (!ok()) return false;
  if (remaining() < n) {
    return fail(field, "truncated: needs " + std::to_string(n) + " bytes, " +
                           std::to_string(remaining()) + " left");
  }
  return true;
}

std::uint64_t Reader::take_be(std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | data_[pos_ + i];
  pos_ += n;
  return v;
}

bool Reader::u8(Field field, std::uint8_t& out) {
  if (!need(field, 1)) return false;
  out = static_cast<std::uint8_t>(take_be(1));
  return true;
}

bool Reader::u16(Field field, std::uint16_t& out) {
  if (!need(field, 2)) return false;
  out = static_cast<std::uint16_t>(take_be(2));
  return true;
}

bool Reader::u32(Field field, std::uint32_t& out) {
  if (!need(field, 4)) return false;
  out = static_cast<std::uint32_t>(take_be(4));
  return true;
}

bool Reader::u64(Field field, std::uint64_t& out) {
  if (!need(field, 8)) return false;
  out = take_be(8);
  return true;
}

bool Reader::i64(Field field, std::int64_t& out) {
  std::uint64_t v = 0;
  if (!u64(field, v)) return false;
  out = static_cast<std::int64_t>(v);
  return true;
}

bool Reader::raw(Field field, std::span<std::uint8_t> out) {
  if (!need(field, out.size())) return false;
  std::copy_n(data_.begin() + static_cast<std::ptrdiff_t>(pos_), out.size(), out.begin());
  pos_ += out.size();
  return true;
}

bool Reader::nested(Field field, std::size_t limit, std::span<const std::uint8_t>& out) {
  std::uint32_t length = 0;
  if (!u32(field, length)) return false;
  if (length > limit) {
    return fail(field, std::to_string(length) + " bytes, limit " + std::to_string(limit));
  }
  if (!need(field, length)) return false;
  out = data_.subspan(pos_, length);
  pos_ += length;
  return true;
}

bool Reader::bytes(Field field, std::size_t limit, Bytes& out) {
  std::span<const std::uint8_t> view;
  if (!nested(field, limit, view)) return false;
  out.assign(view.begin(), view.end());
  return true;
}

bool Reader::string(Field field, std::size_t limit, std::string& out) {
  std::span<const std::uint8_t> view;
  if (!nested(field, limit, view)) return false;
  out.assign(view.begin(), view.end());
  return true;
}

bool Reader::count(Field field, std::size_t limit, std::size_t min_item_bytes, std::size_t& out) {
  std::uint32_t n = 0;
  if (!u32(field, n)) return false;
  if (n > limit) return fail(field, std::to_string(n) + " items, limit " + std::to_string(limit));
  // n < 2^32 and item sizes are small: the product cannot overflow 64 bits.
  if (static_cast<std::uint64_t>(n) * min_item_bytes > remaining()) {
    return fail(field, "truncated: " + std::to_string(n) + " items need at least " +
                           std::to_string(static_cast<std::uint64_t>(n) * min_item_bytes) +
                           " bytes, " + std::to_string(remaining()) + " left");
  }
  out = n;
  return true;
}

bool Reader::finish() {
  if (!ok()) return false;
  if (remaining() != 0) {
    error_ = std::to_string(remaining()) + " trailing bytes";
    return false;
  }
  return true;
}

}  // namespace pilemesh::ledger
