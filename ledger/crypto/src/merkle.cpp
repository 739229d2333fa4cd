#include "pilemesh/ledger/merkle.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "pilemesh/ledger/hash.hpp"

namespace pilemesh::ledger {

// The tree is built bottom-up: pair neighbours level by level and carry a level's odd last node
// up unchanged. This gives exactly RFC 6962's tree (split at the largest power of two below n)
// without recursion, in one vector reused in place.

Hash merkle_leaf_hash(const Hash& item) {
  std::array<std::uint8_t, 1 + 32> buffer;
  buffer[0] = 0x00;
  std::copy(item.bytes.begin(), item.bytes.end(), buffer.begin() + 1);
  return sha256(std::span<const std::uint8_t>(buffer));
}

Hash merkle_node_hash(const Hash& left, const Hash& right) {
  std::array<std::uint8_t, 1 + 32 + 32> buffer;
  buffer[0] = 0x01;
  std::copy(left.bytes.begin(), left.bytes.end(), buffer.begin() + 1);
  std::copy(right.bytes.begin(), right.bytes.end(), buffer.begin() + 33);
  return sha256(std::span<const std::uint8_t>(buffer));
}

namespace {

std::vector<Hash> leaf_level(std::span<const Hash> items) {
  std::vector<Hash> level;
  level.reserve(items.size());
  for (const auto& item : items) level.push_back(merkle_leaf_hash(item));
  return level;
}

// Replaces `level` (size > 1) with the next level up, in place.
void reduce_level(std::vector<Hash>& level) {
  const std::size_t n = level.size();
  std::size_t out = 0;
  for (std::size_t i = 0; i + 1 < n; i += 2)
    level[out++] = merkle_node_hash(level[i], level[i + 1]);
  if (n % 2 == 1) level[out++] = level[n - 1];
  level.resize(out);
}

}  // namespace

Hash merkle_root(std::span<const Hash> items) {
  if (items.empty()) return sha256(std::span<const std::uint8_t>{});
  auto level = leaf_level(items);
  while (level.size() > 1) reduce_level(level);
  return level.front();
}

MerkleProof merkle_prove(std::span<const Hash> items, std::uint64_t index) {
  if (index >= items.size()) {
    throw std::out_of_range("merkle_prove: index " + std::to_string(index) + " of " +
                            std::to_string(items.size()) + " items");
  }
  MerkleProof proof{.index = index, .leaf_count = items.size(), .path = {}};
  auto level = leaf_level(items);
  std::uint64_t i = index;
  while (level.size() > 1) {
    // A node without a right neighbour is carried up and adds nothing to the path.
    const std::uint64_t sibling = i ^ 1;
    if (sibling < level.size()) proof.path.push_back(level[sibling]);
    reduce_level(level);
    i /= 2;
  }
  return proof;
}

std::vector<MerkleProof> merkle_prove_all(std::span<const Hash> items) {
  // Every level is kept, so each proof is a walk up picking siblings: the tree is hashed once.
  std::vector<std::vector<Hash>> levels{leaf_level(items)};
  while (levels.back().size() > 1) {
    std::vector<Hash> next = levels.back();
    reduce_level(next);
    levels.push_back(std::move(next));
  }
  std::vector<MerkleProof> proofs(items.size());
  for (std::uint64_t index = 0; index < items.size(); ++index) {
    MerkleProof& proof = proofs[index];
    proof.index = index;
    proof.leaf_count = items.size();
    std::uint64_t i = index;
    for (std::size_t l = 0; l + 1 < levels.size(); ++l, i /= 2) {
      const std::uint64_t sibling = i ^ 1;
      if (sibling < levels[l].size()) proof.path.push_back(levels[l][sibling]);
    }
  }
  return proofs;
}

bool merkle_verify(const Hash& item, const MerkleProof& proof, const Hash& root) {
  // RFC 9162 section 2.1.3.2: walk up from the leaf; fn is the node's index within its level and
  // sn the last index of that level. The path must be used up exactly when the root is reached.
  if (proof.index >= proof.leaf_count) return false;
  std::uint64_t fn = proof.index;
  std::uint64_t sn = proof.leaf_count - 1;
  Hash r = merkle_leaf_hash(item);
  for (const auto& p : proof.path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = merkle_node_hash(p, r);
      // Skip the levels where this node was carried up without a sibling.
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

}  // namespace pilemesh::ledger
