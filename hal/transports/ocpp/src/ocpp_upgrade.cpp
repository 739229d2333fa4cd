#include "pilemesh/transports/ocpp_upgrade.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <vector>

namespace pilemesh::transports {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return (x | 0x20) == (y | 0x20);
         });
}

}  // namespace

bool valid_identity(std::string_view identity) noexcept {
  if (identity.empty() || identity.size() > 48) return false;
  return std::all_of(identity.begin(), identity.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

std::optional<std::string> identity_from_target(std::string_view target) {
  if (auto q = target.find('?'); q != std::string_view::npos) target = target.substr(0, q);
  if (!target.starts_with(kOcppPathPrefix)) return std::nullopt;
  std::string_view identity = target.substr(kOcppPathPrefix.size());
  if (!valid_identity(identity)) return std::nullopt;
  return std::string(identity);
}

std::optional<hal::OcppVersion> select_subprotocol(std::string_view header) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    const std::string_view item = trim(header.substr(0, comma));
    if (item == "ocpp1.6") return hal::OcppVersion::k16;
    if (item == "ocpp2.0.1") return hal::OcppVersion::k201;
    if (item == "ocpp2.1") return hal::OcppVersion::k21;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

std::optional<BasicCredentials> parse_basic_auth(std::string_view header) {
  header = trim(header);
  if (header.size() < 6 || !iequals(header.substr(0, 6), "Basic ")) return std::nullopt;
  const std::string_view encoded = trim(header.substr(6));
  // user:password of at most 48 + 1 + 64 bytes encode to at most 152 characters.
  if (encoded.empty() || encoded.size() > 256 || encoded.size() % 4 != 0) return std::nullopt;
  std::vector<unsigned char> decoded(encoded.size() / 4 * 3 + 1);
  const int n = EVP_DecodeBlock(decoded.data(), reinterpret_cast<const unsigned char*>(encoded.data()),
                                static_cast<int>(encoded.size()));
  if (n < 0) return std::nullopt;
  // EVP_DecodeBlock counts the padding's zero bytes; drop them.
  std::size_t size = static_cast<std::size_t>(n);
  if (encoded.ends_with("==")) size -= 2;
  else if (encoded.ends_with("=")) size -= 1;
  const std::string text(decoded.begin(), decoded.begin() + static_cast<std::ptrdiff_t>(size));
  if (text.find('\0') != std::string::npos) return std::nullopt;
  const auto colon = text.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return BasicCredentials{text.substr(0, colon), text.substr(colon + 1)};
}

bool same_secret(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace pilemesh::transports
