// Reading stored encodings back: a row that no longer decodes means a damaged file, reported
// as a StoreError that names the file and the row.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "pilemesh/ledger/codec.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger::detail {

template <class T>
T decoded_or_throw(Decoded<T> decoded, const store::Database& db, const std::string& what) {
  if (auto* error = std::get_if<DecodeError>(&decoded)) {
    throw store::StoreError(db.path().filename().string() + ": " + what + " does not decode (" +
                            error->reason + "); the file is damaged");
  }
  return std::get<T>(std::move(decoded));
}

inline Hash hash_from_blob(const Bytes& blob) {
  Hash h;
  if (blob.size() == h.bytes.size()) std::copy(blob.begin(), blob.end(), h.bytes.begin());
  return h;
}

// A stored proof path: the leaf count (u64) and the sibling hashes, 32 bytes each.
inline Bytes encode_proof_path(const MerkleProof& proof) {
  Writer w(8 + 32 * proof.path.size());
  w.u64(proof.leaf_count);
  for (const Hash& h : proof.path) w.raw(h.bytes);
  return w.take();
}

inline std::optional<MerkleProof> decode_proof_path(const Bytes& bytes, std::uint64_t index) {
  if (bytes.size() < 8 || (bytes.size() - 8) % 32 != 0) return std::nullopt;
  Reader r(bytes);
  MerkleProof proof;
  proof.index = index;
  if (!r.u64("leaf_count", proof.leaf_count)) return std::nullopt;
  proof.path.resize((bytes.size() - 8) / 32);
  for (Hash& h : proof.path)
    if (!r.raw("path", h.bytes)) return std::nullopt;
  return proof;
}

}  // namespace pilemesh::ledger::detail
