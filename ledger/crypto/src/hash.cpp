#include "pilemesh/ledger/hash.hpp"

#include <openssl/evp.h>

#include <initializer_list>
#include <stdexcept>

namespace pilemesh::ledger {
namespace {

// SHA-256 through OpenSSL's EVP interface, which runs on the CPU's SHA extensions where it has
// them: about 4x libsodium's portable C for the 65-byte nodes of the Merkle trees on this
// project's machines (docs/benchmarks.md). The digest is the same function either way. The
// algorithm is fetched once and each thread reuses one context, because creating a context
// costs about as much as hashing a tree node.
const EVP_MD* sha256_md() {
  static EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) throw std::runtime_error("OpenSSL has no SHA-256");
    return fetched;
  }();
  return md;
}

struct ThreadContext {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~ThreadContext() { EVP_MD_CTX_free(ctx); }
};

Hash digest(std::initializer_list<std::span<const std::uint8_t>> parts) {
  thread_local ThreadContext local;
  Hash h;
  unsigned int size = 0;
  bool ok = local.ctx != nullptr && EVP_DigestInit_ex2(local.ctx, sha256_md(), nullptr) == 1;
  for (const auto& part : parts)
    ok = ok && EVP_DigestUpdate(local.ctx, part.data(), part.size()) == 1;
  ok = ok && EVP_DigestFinal_ex(local.ctx, h.bytes.data(), &size) == 1;
  if (!ok || size != h.bytes.size()) throw std::runtime_error("SHA-256 failed");
  return h;
}

}  // namespace

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
  return digest({data});
}

Hash sha256(std::string_view data) {
  return sha256(std::span(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

Hash sha256(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return digest({a, b});
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
