#include "pilemesh/ledger/codec.hpp"

#include <gtest/gtest.h>

#include <array>
#include <limits>

namespace pilemesh::ledger {
namespace {

TEST(Codec, IntegersAreBigEndianFixedWidth) {
  Writer w;
  w.u8(0x01);
  w.u16(0x0203);
  w.u32(0x04050607);
  w.u64(0x08090a0b0c0d0e0f);
  w.i64(-2);
  const Bytes expected = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
                          0x0d, 0x0e, 0x0f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe};
  EXPECT_EQ(w.data(), expected);

  Reader r(w.data());
  std::uint8_t a = 0;
  std::uint16_t b = 0;
  std::uint32_t c = 0;
  std::uint64_t d = 0;
  std::int64_t e = 0;
  ASSERT_TRUE(r.u8("a", a) && r.u16("b", b) && r.u32("c", c) && r.u64("d", d) && r.i64("e", e));
  EXPECT_TRUE(r.finish());
  EXPECT_EQ(a, 0x01);
  EXPECT_EQ(b, 0x0203);
  EXPECT_EQ(c, 0x04050607u);
  EXPECT_EQ(d, 0x08090a0b0c0d0e0fu);
  EXPECT_EQ(e, -2);
}

TEST(Codec, ExtremeIntegersRoundTrip) {
  Writer w;
  w.i64(std::numeric_limits<std::int64_t>::min());
  w.i64(std::numeric_limits<std::int64_t>::max());
  w.u64(std::numeric_limits<std::uint64_t>::max());
  Reader r(w.data());
  std::int64_t lo = 0, hi = 0;
  std::uint64_t u = 0;
  ASSERT_TRUE(r.i64("lo", lo) && r.i64("hi", hi) && r.u64("u", u) && r.finish());
  EXPECT_EQ(lo, std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(hi, std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(u, std::numeric_limits<std::uint64_t>::max());
}

TEST(Codec, LengthPrefixedFields) {
  Writer w;
  w.string("hi");
  w.bytes(Bytes{7, 8, 9});
  w.string("");
  EXPECT_EQ(w.data(), (Bytes{0, 0, 0, 2, 'h', 'i', 0, 0, 0, 3, 7, 8, 9, 0, 0, 0, 0}));
  Reader r(w.data());
  std::string s, empty;
  Bytes b;
  ASSERT_TRUE(r.string("s", 2, s) && r.bytes("b", 3, b) && r.string("empty", 0, empty));
  EXPECT_TRUE(r.finish());
  EXPECT_EQ(s, "hi");
  EXPECT_EQ(b, (Bytes{7, 8, 9}));
  EXPECT_EQ(empty, "");
}

TEST(Codec, FixedArrays) {
  const std::array<std::uint8_t, 3> in = {1, 2, 3};
  Writer w;
  w.raw(in);
  EXPECT_EQ(w.data(), (Bytes{1, 2, 3}));
  std::array<std::uint8_t, 3> out{};
  Reader r(w.data());
  ASSERT_TRUE(r.raw("key", out) && r.finish());
  EXPECT_EQ(out, in);
}

TEST(Codec, NestedIsPatchedInPlace) {
  Writer w;
  w.u8(9);
  const auto mark = w.begin_nested();
  w.u16(0xabcd);
  w.string("x");
  w.end_nested(mark);
  EXPECT_EQ(w.data(), (Bytes{9, 0, 0, 0, 7, 0xab, 0xcd, 0, 0, 0, 1, 'x'}));

  Reader r(w.data());
  std::uint8_t first = 0;
  std::span<const std::uint8_t> inner;
  ASSERT_TRUE(r.u8("first", first) && r.nested("inner", 7, inner) && r.finish());
  EXPECT_EQ(inner.size(), 7u);
  EXPECT_EQ(inner.data(), w.data().data() + 5);  // a view, not a copy
}

TEST(Codec, TruncationNamesTheField) {
  const Bytes data = {0, 1, 2};
  Reader r(data);
  std::uint32_t v = 0;
  EXPECT_FALSE(r.u32("nonce", v));
  EXPECT_EQ(r.error(), "nonce: truncated: needs 4 bytes, 3 left");
}

TEST(Codec, LengthLimitIsCheckedBeforeTheBytes) {
  const Bytes data = {0, 1, 0x11, 0x70};  // claims 70000 bytes, has none
  Reader r(data);
  Bytes out;
  EXPECT_FALSE(r.bytes("payload", 16384, out));
  EXPECT_EQ(r.error(), "payload: 70000 bytes, limit 16384");
}

TEST(Codec, LengthBeyondTheInputIsTruncation) {
  const Bytes data = {0, 0, 0, 5, 'a', 'b'};
  Reader r(data);
  std::string out;
  EXPECT_FALSE(r.string("chain_id", 64, out));
  EXPECT_EQ(r.error(), "chain_id: truncated: needs 5 bytes, 2 left");
}

TEST(Codec, CountLimits) {
  {
    const Bytes data = {0, 0, 0, 5};
    Reader r(data);
    std::size_t n = 0;
    EXPECT_FALSE(r.count("branches", 4, 1, n));
    EXPECT_EQ(r.error(), "branches: 5 items, limit 4");
  }
  {
    const Bytes data = {0, 0, 0, 3, 1, 2, 3, 4, 5};
    Reader r(data);
    std::size_t n = 0;
    EXPECT_FALSE(r.count("signatures", 10, 2, n));
    EXPECT_EQ(r.error(), "signatures: truncated: 3 items need at least 6 bytes, 5 left");
  }
  {
    const Bytes data = {0, 0, 0, 2, 1, 2};
    Reader r(data);
    std::size_t n = 0;
    EXPECT_TRUE(r.count("items", 2, 1, n));
    EXPECT_EQ(n, 2u);
  }
}

TEST(Codec, TrailingBytesAreRefused) {
  const Bytes data = {1, 2, 3};
  Reader r(data);
  std::uint8_t v = 0;
  ASSERT_TRUE(r.u8("v", v));
  EXPECT_FALSE(r.finish());
  EXPECT_EQ(r.error(), "2 trailing bytes");
}

TEST(Codec, FirstErrorWinsAndLaterReadsFail) {
  const Bytes data = {1};
  Reader r(data);
  std::uint16_t a = 0;
  std::uint8_t b = 0;
  EXPECT_FALSE(r.u16("a", a));
  EXPECT_FALSE(r.u8("b", b));  // the byte is there, but the reader has failed
  EXPECT_EQ(r.error(), "a: truncated: needs 2 bytes, 1 left");
  EXPECT_FALSE(r.finish());
}

TEST(Codec, WithinAndIndexedFields) {
  const Bytes data = {};
  Reader r(data);
  std::uint64_t v = 0;
  EXPECT_FALSE(r.u64("branch_height", v));
  EXPECT_FALSE(r.within({"branches", 2}));
  EXPECT_EQ(r.error(), "branches[2]: branch_height: truncated: needs 8 bytes, 0 left");
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace pilemesh::ledger
