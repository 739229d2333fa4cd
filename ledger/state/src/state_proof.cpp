// Checking a state proof needs nothing but the proof and a root: light clients and peers
// use it without a database.
#include <algorithm>

#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::ledger {
namespace {

bool less(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
}

// The entries of an absence proof must be the key's neighbours in its sorted bucket.
bool proves_absence(const StateProof& proof, std::span<const std::uint8_t> key) {
  const auto& e = proof.entries;
  if (e.empty()) return proof.bucket_hash == empty_state_subtree(0);
  const std::uint64_t n = e.front().proof.leaf_count;
  if (e.size() == 1) {
    const auto& only = e.front();
    return (less(only.key, key) && only.proof.index + 1 == n) ||
           (less(key, only.key) && only.proof.index == 0);
  }
  if (e.size() != 2 || e[1].proof.leaf_count != n) return false;
  return e[0].proof.index + 1 == e[1].proof.index && less(e[0].key, key) && less(key, e[1].key);
}

}  // namespace

bool verify_state_proof(const StateProof& proof, const Hash& root,
                        std::span<const std::uint8_t> key,
                        std::optional<std::span<const std::uint8_t>> value) {
  if (key.empty() || key.size() > kMaxStateKeyBytes) return false;
  if (!std::equal(key.begin(), key.end(), proof.key.begin(), proof.key.end())) return false;
  if (proof.siblings.size() != static_cast<std::size_t>(kStateTreeDepth)) return false;
  for (const StateProofEntry& entry : proof.entries) {
    if (!merkle_verify(state_entry_hash(entry.key, entry.value), entry.proof, proof.bucket_hash)) {
      return false;
    }
  }
  if (value) {
    if (proof.entries.size() != 1) return false;
    const auto& entry = proof.entries.front();
    if (!std::equal(key.begin(), key.end(), entry.key.begin(), entry.key.end()) ||
        !std::equal(value->begin(), value->end(), entry.value.begin(), entry.value.end())) {
      return false;
    }
  } else if (!proves_absence(proof, key)) {
    return false;
  }
  const std::uint32_t bucket = state_bucket(key);
  Hash h = proof.bucket_hash;
  for (int level = 0; level < kStateTreeDepth; ++level) {
    const Hash& sibling = proof.siblings[static_cast<std::size_t>(level)];
    h = ((bucket >> level) & 1u) != 0 ? merkle_node_hash(sibling, h) : merkle_node_hash(h, sibling);
  }
  return h == root;
}

}  // namespace pilemesh::ledger
