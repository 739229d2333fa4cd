#include "pilemesh/ledger/keys.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "pilemesh/ledger/hash.hpp"

namespace pilemesh::ledger {
namespace {

std::span<const std::uint8_t> bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

std::array<std::uint8_t, 32> seed_from_hex(std::string_view hex) {
  std::array<std::uint8_t, 32> seed{};
  EXPECT_TRUE(from_hex(hex, seed));
  return seed;
}

// RFC 8032 section 7.1, tests 1 and 2: seed, public key, message, signature.
TEST(Keys, Rfc8032Vectors) {
  {
    const auto pair = KeyPair::from_seed(
        seed_from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    EXPECT_EQ(pair.public_key().hex(),
              "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    EXPECT_EQ(to_hex(pair.sign({}).bytes),
              "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
              "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  }
  {
    const auto pair = KeyPair::from_seed(
        seed_from_hex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"));
    EXPECT_EQ(pair.public_key().hex(),
              "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
    const std::uint8_t message[] = {0x72};
    EXPECT_EQ(to_hex(pair.sign(message).bytes),
              "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e"
              "458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
  }
}

TEST(Keys, FromSeedIsDeterministic) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(7);
  const auto a = KeyPair::from_seed(seed);
  const auto b = KeyPair::from_seed(seed);
  EXPECT_EQ(a.public_key(), b.public_key());
  EXPECT_EQ(a.sign(bytes_of("m")), b.sign(bytes_of("m")));
  seed[0] = 8;
  EXPECT_NE(KeyPair::from_seed(seed).public_key(), a.public_key());
}

TEST(Keys, GenerateGivesDistinctKeys) {
  EXPECT_NE(KeyPair::generate().public_key(), KeyPair::generate().public_key());
}

TEST(Keys, SignAndVerify) {
  const auto pair = KeyPair::generate();
  const auto sig = pair.sign(bytes_of("charge 7 kWh"));
  EXPECT_TRUE(verify(pair.public_key(), bytes_of("charge 7 kWh"), sig));
}

TEST(Keys, TamperedMessageFails) {
  const auto pair = KeyPair::generate();
  const auto sig = pair.sign(bytes_of("charge 7 kWh"));
  EXPECT_FALSE(verify(pair.public_key(), bytes_of("charge 8 kWh"), sig));
  EXPECT_FALSE(verify(pair.public_key(), bytes_of("charge 7 kWh "), sig));
  EXPECT_FALSE(verify(pair.public_key(), {}, sig));
}

TEST(Keys, TamperedSignatureFails) {
  const auto pair = KeyPair::generate();
  const auto sig = pair.sign(bytes_of("m"));
  for (std::size_t i : {0u, 31u, 32u, 63u}) {
    auto bad = sig;
    bad.bytes[i] ^= 0x01;
    EXPECT_FALSE(verify(pair.public_key(), bytes_of("m"), bad)) << "byte " << i;
  }
  EXPECT_FALSE(verify(pair.public_key(), bytes_of("m"), Signature{}));
}

TEST(Keys, OtherKeyFails) {
  const auto pair = KeyPair::generate();
  const auto sig = pair.sign(bytes_of("m"));
  EXPECT_FALSE(verify(KeyPair::generate().public_key(), bytes_of("m"), sig));
  auto bad = pair.public_key();
  bad.bytes[0] ^= 0x01;
  EXPECT_FALSE(verify(bad, bytes_of("m"), sig));
  EXPECT_FALSE(verify(PublicKey{}, bytes_of("m"), sig));
}

TEST(Keys, CopiesSignAlike) {
  const auto pair = KeyPair::generate();
  const KeyPair copy = pair;  // NOLINT(performance-unnecessary-copy-initialization)
  EXPECT_EQ(copy.public_key(), pair.public_key());
  EXPECT_EQ(copy.sign(bytes_of("m")), pair.sign(bytes_of("m")));
}

TEST(Keys, PublicKeyHexRoundTrip) {
  const auto key = KeyPair::generate().public_key();
  EXPECT_EQ(key.hex().size(), 64u);
  EXPECT_EQ(PublicKey::from_hex(key.hex()), key);
  EXPECT_FALSE(PublicKey::from_hex(key.hex().substr(2)));
  EXPECT_FALSE(PublicKey::from_hex(key.hex() + "00"));
  EXPECT_FALSE(PublicKey::from_hex("zz" + key.hex().substr(2)));
}

}  // namespace
}  // namespace pilemesh::ledger
