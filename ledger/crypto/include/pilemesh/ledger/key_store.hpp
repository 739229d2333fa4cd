// Where a node's secret key lives, behind one interface: a key file now (FileKeyStore), a TPM
// or secure element later. Callers sign and open sealed data through it and never see the
// secret.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <vector>

#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

class KeyStore {
 public:
  virtual ~KeyStore() = default;
  virtual const PublicKey& public_key() const = 0;
  virtual Signature sign(std::span<const std::uint8_t> message) const = 0;
  // Opens data sealed to public_key() (seal_to); nothing when it is not for this key.
  virtual std::optional<std::vector<std::uint8_t>> unseal(
      std::span<const std::uint8_t> sealed) const = 0;
};

// The key in a 0600 file (KeyPair::load_or_create), held in memory that is wiped at the end.
class FileKeyStore final : public KeyStore {
 public:
  explicit FileKeyStore(const std::filesystem::path& file) : key_(KeyPair::load_or_create(file)) {}
  explicit FileKeyStore(KeyPair key) : key_(std::move(key)) {}
  const PublicKey& public_key() const override { return key_.public_key(); }
  Signature sign(std::span<const std::uint8_t> message) const override {
    return key_.sign(message);
  }
  std::optional<std::vector<std::uint8_t>> unseal(
      std::span<const std::uint8_t> sealed) const override {
    return key_.unseal(sealed);
  }

 private:
  KeyPair key_;
};

}  // namespace pilemesh::ledger
