// Sealing to a member's key (X25519 + AEAD from libsodium), as the exact address of a pile is
// sealed to the member who booked it, and the key store that opens it.
#include <gtest/gtest.h>
#include <sodium.h>

#include "pilemesh/ledger/key_store.hpp"

namespace pilemesh::ledger {
namespace {

KeyPair key(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return KeyPair::from_seed(seed);
}

TEST(Sealed, OnlyTheRecipientOpensIt) {
  const KeyPair alice = key(1), bob = key(2);
  const std::string address = "Lindenstrasse 7, garage door on the left";
  const auto sealed =
      seal_to(alice.public_key(),
              std::span(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()));
  ASSERT_TRUE(sealed);
  EXPECT_EQ(sealed->size(), address.size() + 48);
  const FileKeyStore store(alice);
  const auto opened = store.unseal(*sealed);
  ASSERT_TRUE(opened);
  EXPECT_EQ(std::string(opened->begin(), opened->end()), address);
  EXPECT_FALSE(bob.unseal(*sealed));
  auto tampered = *sealed;
  tampered.back() ^= 1;
  EXPECT_FALSE(alice.unseal(tampered));
  EXPECT_FALSE(alice.unseal(std::span(*sealed).first(10)));
  // Two seals of the same text differ (an ephemeral key each time).
  EXPECT_NE(
      *seal_to(alice.public_key(),
               std::span(reinterpret_cast<const std::uint8_t*>(address.data()), address.size())),
      *sealed);
}

// A browser with tweetnacl has no BLAKE2b: given the box's nonce it opens the sealed box as a
// plain crypto_box from the ephemeral key (the box's first 32 bytes).
TEST(Sealed, TheNonceOpensItAsAPlainBox) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(1);
  const KeyPair alice = KeyPair::from_seed(seed);
  const std::string address = "Lindenstrasse 7";
  const auto sealed =
      seal_to(alice.public_key(),
              std::span(reinterpret_cast<const std::uint8_t*>(address.data()), address.size()));
  ASSERT_TRUE(sealed);
  const auto nonce = sealed_box_nonce(alice.public_key(), *sealed);
  ASSERT_TRUE(nonce);

  // The member's X25519 secret from the seed, as the browser derives it.
  std::array<std::uint8_t, crypto_sign_PUBLICKEYBYTES> ed_pk{};
  std::array<std::uint8_t, crypto_sign_SECRETKEYBYTES> ed_sk{};
  crypto_sign_seed_keypair(ed_pk.data(), ed_sk.data(), seed.data());
  std::array<std::uint8_t, crypto_box_SECRETKEYBYTES> x_sk{};
  crypto_sign_ed25519_sk_to_curve25519(x_sk.data(), ed_sk.data());

  std::string opened(sealed->size() - 48, '\0');
  ASSERT_EQ(
      crypto_box_open_easy(reinterpret_cast<std::uint8_t*>(opened.data()), sealed->data() + 32,
                           sealed->size() - 32, nonce->data(), sealed->data(), x_sk.data()),
      0);
  EXPECT_EQ(opened, address);
  // Another recipient's nonce does not open it.
  const auto other = sealed_box_nonce(key(2).public_key(), *sealed);
  ASSERT_TRUE(other);
  EXPECT_NE(
      crypto_box_open_easy(reinterpret_cast<std::uint8_t*>(opened.data()), sealed->data() + 32,
                           sealed->size() - 32, other->data(), sealed->data(), x_sk.data()),
      0);
  EXPECT_FALSE(sealed_box_nonce(alice.public_key(), std::span(*sealed).first(10)));
}

}  // namespace
}  // namespace pilemesh::ledger
