// The mempool: arrival order, nonce queues per account, duplicates, bounds with eviction, and
// re-checking after a block.
#include <gtest/gtest.h>

#include "ledger_fixture.hpp"

namespace pilemesh::ledger {
namespace {

using pilemesh::test::TempDir;
using test::kChain;
using test::key_from;
using test::signed_tx;

Transaction transfer(const KeyPair& from, std::uint64_t nonce, const PublicKey& to,
                     std::uint64_t amount = 1) {
  return signed_tx(from, kChain, TxType::kTransfer, nonce, encode(TransferPayload{to, amount}));
}

TEST(Mempool, QueuesAnAccountsNoncesInOrderAndRechecksAfterABlock) {
  TempDir dir;
  const KeyPair v = key_from(1), a = key_from(2), b = key_from(3);
  test::Node node(dir.path() / "l.db", v, {a.public_key(), b.public_key()});
  for (std::uint64_t n = 1; n <= 3; ++n)
    ASSERT_TRUE(node.mempool.add(transfer(a, n, b.public_key()), 0).ok());
  ASSERT_TRUE(node.mempool.add(transfer(b, 1, a.public_key()), 0).ok());
  EXPECT_EQ(node.mempool.add(transfer(a, 5, b.public_key()), 0).code, TxCode::kBadNonce);
  EXPECT_EQ(node.mempool.size(), 4u);
  const auto first_two = node.mempool.candidates(2, 1 << 20);
  ASSERT_EQ(first_two.size(), 2u);
  EXPECT_EQ(first_two[0].nonce, 1u);
  EXPECT_EQ(first_two[1].nonce, 2u);
  ASSERT_TRUE(node.engine.produce(test::kGenesisMs + 1000).has_value());
  EXPECT_EQ(node.mempool.size(), 0u) << "everything fitted in one block";
  EXPECT_EQ(node.app.account(a.public_key())->nonce, 3u);
}

TEST(Mempool, UpdateRemovesTheCommittedAndKeepsTheRestInArrivalOrder) {
  TempDir dir;
  const KeyPair v = key_from(1), a = key_from(2), b = key_from(3);
  test::Node node(dir.path() / "l.db", v, {a.public_key(), b.public_key()});
  // `pool` holds five interleaved transactions; the block commits two of them (from the
  // node's own mempool, which holds only those).
  Mempool pool(node.app, MempoolOptions{});
  const std::vector<Transaction> arrived = {
      transfer(a, 1, b.public_key()), transfer(a, 2, b.public_key()),
      transfer(b, 1, a.public_key()), transfer(a, 3, b.public_key()),
      transfer(b, 2, a.public_key())};
  for (const Transaction& tx : arrived) ASSERT_TRUE(pool.add(tx, 0).ok());
  ASSERT_TRUE(node.mempool.add(arrived[0], 0).ok());
  ASSERT_TRUE(node.mempool.add(arrived[2], 0).ok());
  ASSERT_TRUE(node.engine.produce(test::kGenesisMs + 1000).has_value());
  pool.update(node.store.blocks().block(1)->txs, 1);
  EXPECT_EQ(pool.size(), 3u);
  EXPECT_FALSE(pool.contains(hash_of(arrived[0])));
  EXPECT_FALSE(pool.contains(hash_of(arrived[2])));
  const auto left = pool.candidates(10, 1 << 20);
  ASSERT_EQ(left.size(), 3u);
  EXPECT_EQ(hash_of(left[0]), hash_of(arrived[1]));
  EXPECT_EQ(hash_of(left[1]), hash_of(arrived[3]));
  EXPECT_EQ(hash_of(left[2]), hash_of(arrived[4]));
  // Their nonces still line up: the next of each account is admitted.
  EXPECT_TRUE(pool.add(transfer(a, 4, b.public_key()), 1).ok());
  EXPECT_TRUE(pool.add(transfer(b, 3, a.public_key()), 1).ok());
}

TEST(Mempool, IsBoundedAndEvictsFromTheBusiestAccount) {
  TempDir dir;
  const KeyPair v = key_from(1), busy = key_from(2), quiet = key_from(3);
  test::Node node(dir.path() / "l.db", v, {busy.public_key(), quiet.public_key()});
  Mempool pool(node.app, MempoolOptions{4, 1 << 20, 100});
  for (std::uint64_t n = 1; n <= 4; ++n)
    ASSERT_TRUE(pool.add(transfer(busy, n, quiet.public_key()), 0).ok());
  // A fifth from the same account has nobody to displace.
  EXPECT_EQ(pool.add(transfer(busy, 5, quiet.public_key()), 0).code, TxCode::kMempoolFull);
  // Another account's first transaction displaces the busy account's newest.
  ASSERT_TRUE(pool.add(transfer(quiet, 1, busy.public_key()), 0).ok());
  EXPECT_EQ(pool.size(), 4u);
  const auto all = pool.candidates(10, 1 << 20);
  EXPECT_EQ(all.back().signer, quiet.public_key());
  EXPECT_EQ(all[2].nonce, 3u);
}

TEST(Mempool, DropsTransactionsThatWaitedTooLong) {
  TempDir dir;
  const KeyPair v = key_from(1), a = key_from(2);
  test::Node node(dir.path() / "l.db", v, {a.public_key()});
  Mempool pool(node.app, MempoolOptions{100, 1 << 20, 3});
  ASSERT_TRUE(pool.add(transfer(a, 1, v.public_key()), 10).ok());
  pool.update({}, 13);
  EXPECT_EQ(pool.size(), 1u);
  pool.update({}, 14);
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace pilemesh::ledger
