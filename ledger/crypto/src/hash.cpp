#include "pilemesh/ledger/hash.hpp"

#include <sodium.h>

#include "sodium.hpp"

namespace pilemesh::ledger {

bool Hash::is_zero() const {
  for (auto b : bytes)
    if (b != 0) return false;
  return true;
}

std::string Hash::hex() const {
  return to_hex(bytes);
}

std::optional<Hash> Hash::from_hex(std::string_view hex) {
  Hash h;
  if (!ledger::from_hex(hex, h.bytes)) return std::nullopt;
  return h;
}

Hash sha256(std::span<const std::uint8_t> data) {
  detail::ensure_sodium();
  Hash h;
  crypto_hash_sha256(h.bytes.data(), data.data(), data.size());
  return h;
}

Hash sha256(std::string_view data) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

Hash sha256(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  detail::ensure_sodium();
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  crypto_hash_sha256_update(&state, a.data(), a.size());
  crypto_hash_sha256_update(&state, b.data(), b.size());
  Hash h;
  crypto_hash_sha256_final(&state, h.bytes.data());
  return h;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xf]);
  }
  return out;
}

bool from_hex(std::string_view hex, std::span<std::uint8_t> out) {
  if (hex.size() != out.size() * 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace pilemesh::ledger
