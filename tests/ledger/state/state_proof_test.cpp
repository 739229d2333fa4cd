#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "pilemesh/ledger/state_store.hpp"
#include "state_fixture.hpp"

namespace pilemesh::ledger::test {
namespace {

using Value = std::optional<std::span<const std::uint8_t>>;

class StateProofTest : public ::testing::Test, protected StateFixture {
 protected:
  bool verifies(const Bytes& key, Value value) {
    return verify_state_proof(state().prove(key), state().root(), key, value);
  }
};

TEST_F(StateProofTest, AbsenceInTheEmptyState) {
  const Bytes key = bytes_of("nobody");
  const StateProof proof = state().prove(key);
  EXPECT_TRUE(proof.entries.empty());
  EXPECT_TRUE(verify_state_proof(proof, empty_state_root(), key, std::nullopt));
  const Bytes value = bytes_of("x");
  EXPECT_FALSE(verify_state_proof(proof, empty_state_root(), key, Value(value)));
}

TEST_F(StateProofTest, PresentAndAbsentKeysVerify) {
  std::mt19937 rng(99);
  std::map<Bytes, Bytes> present;
  for (int i = 0; i < 500; ++i) present[random_bytes(rng, 1, 32)] = random_bytes(rng, 0, 80);
  for (const auto& [key, value] : present) state().put(key, value);
  state().flush();
  for (const auto& [key, value] : present) {
    EXPECT_TRUE(verifies(key, Value(value)));
    EXPECT_FALSE(verifies(key, std::nullopt));
    Bytes wrong = value;
    wrong.push_back(0);
    EXPECT_FALSE(verifies(key, Value(wrong)));
  }
  for (int i = 0; i < 200; ++i) {
    const Bytes key = random_bytes(rng, 33, 40);  // longer than any present key
    EXPECT_TRUE(verifies(key, std::nullopt));
    const Bytes value = bytes_of("v");
    EXPECT_FALSE(verifies(key, Value(value)));
  }
}

// Keys k0 < k1 < k2 < k3 < k4 of one bucket; k1 and k3 are stored, so k0 is absent before the
// first entry, k2 between two entries and k4 after the last.
class CrowdedBucketTest : public StateProofTest {
 protected:
  void SetUp() override {
    keys_ = keys_in_one_bucket(5);
    std::sort(keys_.begin(), keys_.end());
    state().put(keys_[1], bytes_of("one"));
    state().put(keys_[3], bytes_of("three"));
    state().put("elsewhere", bytes_of("x"));
    root_ = state().flush();
  }
  std::vector<Bytes> keys_;
  Hash root_;
};

TEST_F(CrowdedBucketTest, AbsenceAtEveryPositionOfTheBucket) {
  EXPECT_EQ(state().prove(keys_[0]).entries.size(), 1u);
  EXPECT_EQ(state().prove(keys_[2]).entries.size(), 2u);
  EXPECT_EQ(state().prove(keys_[4]).entries.size(), 1u);
  for (std::size_t i : {0u, 2u, 4u}) EXPECT_TRUE(verifies(keys_[i], std::nullopt)) << i;
  const Bytes one = bytes_of("one");
  const Bytes three = bytes_of("three");
  EXPECT_TRUE(verifies(keys_[1], Value(one)));
  EXPECT_TRUE(verifies(keys_[3], Value(three)));
  EXPECT_FALSE(verifies(keys_[1], std::nullopt));
}

TEST_F(CrowdedBucketTest, TamperedProofsFail) {
  const Bytes three = bytes_of("three");
  const StateProof good = state().prove(keys_[3]);
  ASSERT_TRUE(verify_state_proof(good, root_, keys_[3], Value(three)));

  StateProof p = good;
  p.siblings[5].bytes[0] ^= 1;
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[3], Value(three)));
  p = good;
  p.bucket_hash.bytes[31] ^= 1;
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[3], Value(three)));
  p = good;
  p.entries[0].value.push_back('!');
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[3], Value(three)));
  p = good;
  p.siblings.pop_back();
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[3], Value(three)));
  Hash other_root = root_;
  other_root.bytes[0] ^= 1;
  EXPECT_FALSE(verify_state_proof(good, other_root, keys_[3], Value(three)));
  // A proof for one key does not pass for another.
  EXPECT_FALSE(verify_state_proof(good, root_, keys_[1], Value(three)));

  // Absence between two entries: dropping or moving a neighbour breaks it.
  const StateProof gap = state().prove(keys_[2]);
  ASSERT_TRUE(verify_state_proof(gap, root_, keys_[2], std::nullopt));
  p = gap;
  p.entries.pop_back();
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[2], std::nullopt));
  p = gap;
  p.entries.erase(p.entries.begin());
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[2], std::nullopt));
  p = gap;
  p.entries[1].proof.index += 1;
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[2], std::nullopt));
  p = gap;
  p.entries.clear();  // claims an empty bucket
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[2], std::nullopt));
  // The absence proof of one key says nothing about a stored one.
  p = gap;
  p.key = keys_[3];
  EXPECT_FALSE(verify_state_proof(p, root_, keys_[3], std::nullopt));
}

}  // namespace
}  // namespace pilemesh::ledger::test
