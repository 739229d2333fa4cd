// Merkle trees over hashes, with inclusion proofs a client can check on its own.
//
// The tree of RFC 6962 (Certificate Transparency): leaf = SHA-256(0x00 || leaf bytes), node =
// SHA-256(0x01 || left || right), a list of n > 1 items split at the largest power of two
// smaller than n; the root of an empty list is SHA-256(""). The prefixes keep a leaf from ever
// passing as an inner node.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "pilemesh/ledger/hash.hpp"

namespace pilemesh::ledger {

struct MerkleProof {
  std::uint64_t index = 0;       // the leaf's position
  std::uint64_t leaf_count = 0;  // how many leaves the tree has
  std::vector<Hash> path;        // sibling hashes from the leaf up (RFC 6962 audit path)
};

// Items are the 32-byte values to commit to (e.g. transaction hashes).
Hash merkle_root(std::span<const Hash> items);
// Throws std::out_of_range when index >= items.size().
MerkleProof merkle_prove(std::span<const Hash> items, std::uint64_t index);
// The proofs of all items at once, hashing the tree once instead of once per proof.
std::vector<MerkleProof> merkle_prove_all(std::span<const Hash> items);
// True when `item` is at proof.index of a tree with proof.leaf_count leaves and root `root`.
// The root does not commit to the number of leaves: a proof for index 0 of 3 also passes as
// index 0 of 4. Take leaf_count (and so the index's meaning) from a trusted source.
bool merkle_verify(const Hash& item, const MerkleProof& proof, const Hash& root);

Hash merkle_leaf_hash(const Hash& item);
Hash merkle_node_hash(const Hash& left, const Hash& right);

}  // namespace pilemesh::ledger
