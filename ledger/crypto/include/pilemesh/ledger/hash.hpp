// SHA-256 digests (libsodium), the hash of every ledger object.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pilemesh::ledger {

struct Hash {
  std::array<std::uint8_t, 32> bytes{};

  bool is_zero() const;
  std::string hex() const;  // 64 lower-case hex digits
  static std::optional<Hash> from_hex(std::string_view hex);
  auto operator<=>(const Hash&) const = default;
};

Hash sha256(std::span<const std::uint8_t> data);
Hash sha256(std::string_view data);
// SHA-256 of the concatenation, without building it.
Hash sha256(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

std::string to_hex(std::span<const std::uint8_t> bytes);
// Decodes hex of exactly out.size() bytes; false on any other input.
bool from_hex(std::string_view hex, std::span<std::uint8_t> out);

}  // namespace pilemesh::ledger
