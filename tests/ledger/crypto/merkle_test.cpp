#include "pilemesh/ledger/merkle.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

namespace pilemesh::ledger {
namespace {

std::vector<Hash> items(std::size_t n) {
  std::vector<Hash> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(sha256(std::to_string(i)));
  return out;
}

// The hashes spelled out with sha256 directly, independent of the library's helpers.
Hash leaf(const Hash& item) {
  const std::uint8_t prefix[] = {0x00};
  return sha256(prefix, item.bytes);
}

Hash node(const Hash& l, const Hash& r) {
  std::vector<std::uint8_t> buffer{0x01};
  buffer.insert(buffer.end(), l.bytes.begin(), l.bytes.end());
  buffer.insert(buffer.end(), r.bytes.begin(), r.bytes.end());
  return sha256(buffer);
}

TEST(Merkle, HelpersMatchTheDefinition) {
  const auto x = items(2);
  EXPECT_EQ(merkle_leaf_hash(x[0]), leaf(x[0]));
  EXPECT_EQ(merkle_node_hash(x[0], x[1]), node(x[0], x[1]));
  EXPECT_NE(merkle_node_hash(x[0], x[1]), merkle_node_hash(x[1], x[0]));
}

// The trees drawn by hand, split at the largest power of two below n.
TEST(Merkle, HandComputedRoots) {
  EXPECT_EQ(merkle_root({}).hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

  auto x = items(13);
  std::vector<Hash> l;
  for (const auto& h : x) l.push_back(leaf(h));
  auto root = [&](std::size_t n) { return merkle_root(std::span(x).first(n)); };

  EXPECT_EQ(root(1), l[0]);
  EXPECT_EQ(root(2), node(l[0], l[1]));
  EXPECT_EQ(root(3), node(node(l[0], l[1]), l[2]));
  const Hash n0123 = node(node(l[0], l[1]), node(l[2], l[3]));
  EXPECT_EQ(root(5), node(n0123, l[4]));
  const Hash n4567 = node(node(l[4], l[5]), node(l[6], l[7]));
  EXPECT_EQ(root(8), node(n0123, n4567));
  const Hash n8_11 = node(node(l[8], l[9]), node(l[10], l[11]));
  EXPECT_EQ(root(13), node(node(n0123, n4567), node(n8_11, l[12])));
}

TEST(Merkle, HandComputedPaths) {
  auto x = items(5);
  std::vector<Hash> l;
  for (const auto& h : x) l.push_back(leaf(h));
  // Leaf 4 of 5 is carried up to the root's right side: its only sibling is the left subtree.
  const auto p4 = merkle_prove(x, 4);
  ASSERT_EQ(p4.path.size(), 1u);
  EXPECT_EQ(p4.path[0], node(node(l[0], l[1]), node(l[2], l[3])));
  const auto p2 = merkle_prove(x, 2);
  ASSERT_EQ(p2.path.size(), 3u);
  EXPECT_EQ(p2.path[0], l[3]);
  EXPECT_EQ(p2.path[1], node(l[0], l[1]));
  EXPECT_EQ(p2.path[2], l[4]);
  EXPECT_EQ(p2.index, 2u);
  EXPECT_EQ(p2.leaf_count, 5u);
}

TEST(Merkle, EveryIndexVerifies) {
  for (std::size_t n : {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 16, 17, 31, 33}) {
    const auto x = items(n);
    const Hash root = merkle_root(x);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_TRUE(merkle_verify(x[i], merkle_prove(x, i), root)) << i << " of " << n;
    }
  }
}

TEST(Merkle, AllProofsAtOnceEqualOneByOne) {
  for (std::size_t n : {0, 1, 2, 3, 5, 8, 13, 99, 100}) {
    const auto x = items(n);
    const auto all = merkle_prove_all(x);
    ASSERT_EQ(all.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      const MerkleProof one = merkle_prove(x, i);
      EXPECT_EQ(all[i].index, one.index);
      EXPECT_EQ(all[i].leaf_count, one.leaf_count);
      EXPECT_EQ(all[i].path, one.path) << i << " of " << n;
    }
  }
}

TEST(Merkle, TamperingFails) {
  for (std::size_t n : {2, 3, 5, 8, 13}) {
    const auto x = items(n);
    const Hash root = merkle_root(x);
    for (std::size_t i = 0; i < n; ++i) {
      const auto proof = merkle_prove(x, i);
      SCOPED_TRACE(std::to_string(i) + " of " + std::to_string(n));
      EXPECT_FALSE(merkle_verify(x[(i + 1) % n], proof, root));
      EXPECT_FALSE(merkle_verify(leaf(x[i]), proof, root));  // a leaf hash is not an item

      auto bad = proof;
      bad.path[0].bytes[0] ^= 1;
      EXPECT_FALSE(merkle_verify(x[i], bad, root));
      bad = proof;
      bad.path.pop_back();
      EXPECT_FALSE(merkle_verify(x[i], bad, root));
      bad = proof;
      bad.path.push_back(root);
      EXPECT_FALSE(merkle_verify(x[i], bad, root));
      for (std::uint64_t index : {i + 1, i + n, i ^ 1, i + 2}) {
        if (index == i) continue;
        bad = proof;
        bad.index = index;
        EXPECT_FALSE(merkle_verify(x[i], bad, root)) << "index " << index;
      }
      // Counts that leave the index outside the tree or need a longer path. (Not every wrong
      // count fails: see RootDoesNotCommitToTheLeafCount.)
      for (std::uint64_t count : {std::uint64_t{0}, std::uint64_t{i}, 2 * n, 4 * n}) {
        bad = proof;
        bad.leaf_count = count;
        EXPECT_FALSE(merkle_verify(x[i], bad, root)) << "leaf_count " << count;
      }
      auto other_root = root;
      other_root.bytes[31] ^= 1;
      EXPECT_FALSE(merkle_verify(x[i], proof, other_root));
    }
  }
}

// RFC 6962 roots do not commit to the number of leaves: a proof checks out for every tree
// size with the same shape along the path, so leaf_count must come from a trusted source.
TEST(Merkle, RootDoesNotCommitToTheLeafCount) {
  const auto x = items(3);
  auto proof = merkle_prove(x, 0);
  proof.leaf_count = 4;
  EXPECT_TRUE(merkle_verify(x[0], proof, merkle_root(x)));
  proof = merkle_prove(x, 2);
  proof.index = 1;
  proof.leaf_count = 2;
  EXPECT_TRUE(merkle_verify(x[2], proof, merkle_root(x)));
}

TEST(Merkle, SingleItemTree) {
  const auto x = items(1);
  const auto proof = merkle_prove(x, 0);
  EXPECT_TRUE(proof.path.empty());
  EXPECT_TRUE(merkle_verify(x[0], proof, merkle_root(x)));
  EXPECT_FALSE(
      merkle_verify(x[0], MerkleProof{.index = 0, .leaf_count = 0, .path = {}}, merkle_root(x)));
}

TEST(Merkle, ProveOutOfRangeThrows) {
  EXPECT_THROW(merkle_prove(items(3), 3), std::out_of_range);
  EXPECT_THROW(merkle_prove({}, 0), std::out_of_range);
}

}  // namespace
}  // namespace pilemesh::ledger
