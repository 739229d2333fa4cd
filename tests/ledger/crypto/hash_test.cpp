#include "pilemesh/ledger/hash.hpp"

#include <gtest/gtest.h>

#include <string_view>

namespace pilemesh::ledger {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

TEST(Hash, KnownVectors) {
  EXPECT_EQ(sha256("").hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256("abc").hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Hash, TwoPartsEqualTheConcatenation) {
  EXPECT_EQ(sha256(bytes_of("ab"), bytes_of("c")), sha256("abc"));
  EXPECT_EQ(sha256(bytes_of(""), bytes_of("abc")), sha256("abc"));
}

TEST(Hash, HexRoundTrip) {
  const Hash h = sha256("abc");
  EXPECT_EQ(Hash::from_hex(h.hex()), h);
  std::string upper = h.hex();
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(Hash::from_hex(upper), h);
}

TEST(Hash, FromHexRejectsBadInput) {
  const std::string good = sha256("abc").hex();
  EXPECT_FALSE(Hash::from_hex(good.substr(1)));
  EXPECT_FALSE(Hash::from_hex(good + "0"));
  EXPECT_FALSE(Hash::from_hex("g" + good.substr(1)));
  EXPECT_FALSE(Hash::from_hex(""));
}

TEST(Hash, IsZero) {
  EXPECT_TRUE(Hash{}.is_zero());
  Hash h;
  h.bytes[31] = 1;
  EXPECT_FALSE(h.is_zero());
}

}  // namespace
}  // namespace pilemesh::ledger
