// Sealing to a member's key (X25519 + AEAD from libsodium), as the exact address of a pile is
// sealed to the member who booked it, and the key store that opens it.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace pilemesh::ledger
