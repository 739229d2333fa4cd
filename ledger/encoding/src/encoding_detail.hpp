// Helpers shared by the encoders and decoders of the ledger objects.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger::detail {

// Smallest encodings (empty strings and lists), used to refuse list counts the input cannot
// hold before reserving space for them.
inline constexpr std::size_t kMinTxBytes = 1 + 4 + 2 + 32 + 8 + 4 + 64;
inline constexpr std::size_t kBranchLinkBytes = 1 + 8 + 32;
inline constexpr std::size_t kCommitSignatureBytes = 32 + 64;

// Appends the transaction's encoding; a block embeds it without a temporary copy.
void encode_into(Writer& w, const Transaction& tx);

inline bool read_version(Reader& r, std::uint8_t expected) {
  std::uint8_t version = 0;
  if (!r.u8("version", version)) return false;
  if (version != expected) {
    return r.fail("version", "unknown version " + std::to_string(version) + " (expected " +
                                 std::to_string(expected) + ")");
  }
  return true;
}

// Decodes a whole top-level object: `read` fills the value, then nothing may be left over.
// Errors are prefixed with the object's name: "transaction: nonce: truncated: ...".
template <class T, class Read>
Decoded<T> decode_object(std::string_view object, std::span<const std::uint8_t> bytes, Read read) {
  Reader r(bytes);
  T value{};
  if (read(r, value) && r.finish()) return Decoded<T>(std::in_place_index<0>, std::move(value));
  return DecodeError{std::string(object) + ": " + r.error()};
}

}  // namespace pilemesh::ledger::detail
