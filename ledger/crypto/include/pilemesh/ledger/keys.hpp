// Ed25519 keys (libsodium) for accounts and gateway nodes.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace pilemesh::ledger {

struct PublicKey {
  std::array<std::uint8_t, 32> bytes{};
  std::string hex() const;
  static std::optional<PublicKey> from_hex(std::string_view hex);
  auto operator<=>(const PublicKey&) const = default;
};

struct Signature {
  std::array<std::uint8_t, 64> bytes{};
  auto operator<=>(const Signature&) const = default;
};

// A secret key with its public key. The secret never leaves this object except into its
// key file; it is wiped on destruction and never logged.
class KeyPair {
 public:
  static KeyPair generate();
  // Deterministic, for tests and demo genesis accounts only.
  static KeyPair from_seed(std::span<const std::uint8_t, 32> seed);
  // Reads a key file (the 32-byte seed, hex, mode 0600); creates one if missing.
  // Throws std::runtime_error naming the file when it is unreadable, malformed, or readable by
  // others.
  static KeyPair load_or_create(const std::filesystem::path& file);

  KeyPair(const KeyPair&) = default;
  KeyPair& operator=(const KeyPair&) = default;
  ~KeyPair();

  const PublicKey& public_key() const { return public_; }
  Signature sign(std::span<const std::uint8_t> message) const;
  // Opens what seal_to(public_key(), ...) sealed; nothing when it was sealed to another key or
  // changed on the way.
  std::optional<std::vector<std::uint8_t>> unseal(std::span<const std::uint8_t> sealed) const;

 private:
  KeyPair() = default;
  PublicKey public_;
  std::array<std::uint8_t, 64> secret_{};  // libsodium layout: seed || public key
};

bool verify(const PublicKey& key, std::span<const std::uint8_t> message, const Signature& sig);

// Encrypts `plaintext` so that only the holder of `recipient`'s secret key can read it: an
// anonymous sealed box (X25519 with the Ed25519 key converted, XSalsa20-Poly1305 AEAD), 48 bytes
// longer than the plaintext. Nothing for a public key that is not a valid curve point.
std::optional<std::vector<std::uint8_t>> seal_to(const PublicKey& recipient,
                                                 std::span<const std::uint8_t> plaintext);

// The nonce of a sealed box: BLAKE2b-192 of its ephemeral key (its first 32 bytes) and the
// recipient's X25519 key. It is public; a client without BLAKE2b (a browser with tweetnacl)
// opens the box with it as a plain crypto_box from the ephemeral key. Nothing for a box too
// short or a key that is not a valid curve point.
std::optional<std::array<std::uint8_t, 24>> sealed_box_nonce(const PublicKey& recipient,
                                                             std::span<const std::uint8_t> sealed);

}  // namespace pilemesh::ledger
