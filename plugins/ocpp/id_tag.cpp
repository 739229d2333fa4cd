#include "id_tag.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace pilemesh::ocpp {

std::string derive_id_tag(std::string_view token, std::size_t max_length) {
  static constexpr std::string_view kDomain = "pilemesh/ocpp-id-tag/v1";
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, kDomain.data(), kDomain.size());
  EVP_DigestUpdate(ctx, token.data(), token.size());
  EVP_DigestFinal_ex(ctx, digest, &size);
  EVP_MD_CTX_free(ctx);
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  hex.resize(std::min(hex.size(), max_length));
  return hex;
}

}  // namespace pilemesh::ocpp
