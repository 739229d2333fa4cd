#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "chain_fixture.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/ledger/sql_statement.hpp"

namespace pilemesh::ledger::test {
namespace {

class BlockStoreTest : public ::testing::Test {
 protected:
  BlockStore& blocks() { return fixture_.ledger().blocks(); }
  store::Database& db() { return fixture_.ledger().db(); }

  LedgerFixture fixture_;
  ChainBuilder chain_;
};

TEST_F(BlockStoreTest, EmptyStoreHasHeightZero) {
  EXPECT_EQ(blocks().height(), 0u);
  EXPECT_FALSE(blocks().header(1));
  EXPECT_FALSE(blocks().block(1));
  EXPECT_FALSE(blocks().latest_branch_block(Branch::kCharging));
  EXPECT_TRUE(blocks().branch_chain(Branch::kCharging, 10).empty());
  EXPECT_EQ(blocks().quick_check(10), "");
  EXPECT_EQ(blocks().verify_chain(), "");
}

TEST_F(BlockStoreTest, BlocksReadBackByteIdentical) {
  chain_.save_blocks(blocks(), 20);
  ASSERT_EQ(blocks().height(), 20u);
  for (const BuiltBlock& b : chain_.built()) {
    const Height h = b.block.header.height;
    const auto block = blocks().block(h);
    ASSERT_TRUE(block);
    EXPECT_EQ(encode(*block), encode(b.block)) << "block " << h;
    EXPECT_EQ(encode(*blocks().header(h)), encode(b.block.header));
    EXPECT_EQ(*blocks().block_hash(h), hash_of(b.block.header));
    EXPECT_EQ(*blocks().height_of(hash_of(b.block.header)), h);
    EXPECT_EQ(encode(*blocks().commit(h)), encode(b.commit));
  }
  EXPECT_FALSE(blocks().block(21));
}

TEST_F(BlockStoreTest, TransactionsByHashWithProofs) {
  chain_.save_blocks(blocks(), 12);
  std::size_t seen = 0;
  for (const BuiltBlock& b : chain_.built()) {
    std::vector<Hash> expected;
    for (std::size_t i = 0; i < b.block.txs.size(); ++i) {
      const Hash hash = hash_of(b.block.txs[i]);
      expected.push_back(hash);
      const auto record = blocks().tx(hash);
      ASSERT_TRUE(record);
      EXPECT_EQ(encode(record->tx), encode(b.block.txs[i]));
      EXPECT_EQ(record->hash, hash);
      EXPECT_EQ(record->height, b.block.header.height);
      EXPECT_EQ(record->index, i);
      EXPECT_EQ(record->result.code, b.results[i].code);
      EXPECT_EQ(record->result.log, b.results[i].log);
      const auto proof = blocks().tx_proof(hash);
      ASSERT_TRUE(proof);
      EXPECT_TRUE(merkle_verify(hash, *proof, b.block.header.tx_root));
      EXPECT_FALSE(
          merkle_verify(sha256(std::string_view("other")), *proof, b.block.header.tx_root));
      ++seen;
    }
    EXPECT_EQ(blocks().tx_hashes(b.block.header.height), expected);
  }
  EXPECT_GT(seen, 10u);
  EXPECT_FALSE(blocks().tx(sha256(std::string_view("unknown"))));
  EXPECT_FALSE(blocks().tx_proof(sha256(std::string_view("unknown"))));
}

TEST_F(BlockStoreTest, ProofsAreKeptWithTheTransactionsAndRebuiltWhenMissing) {
  chain_.save_blocks(blocks(), 12);
  const BuiltBlock& b = *std::max_element(chain_.built().begin(), chain_.built().end(),
                                          [](const BuiltBlock& x, const BuiltBlock& y) {
                                            return x.block.txs.size() < y.block.txs.size();
                                          });
  ASSERT_GT(b.block.txs.size(), 2u);
  std::vector<Hash> hashes;
  for (const auto& tx : b.block.txs) hashes.push_back(hash_of(tx));
  const Height h = b.block.header.height;
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    const auto stored = blocks().tx_proof(h, i);
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->path, merkle_prove(hashes, i).path);
    EXPECT_EQ(stored->leaf_count, hashes.size());
  }
  // Rows from before proofs were stored have none: the proof is computed instead.
  db().exec("UPDATE txs SET path = NULL;");
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    EXPECT_TRUE(merkle_verify(hashes[i], *blocks().tx_proof(h, i), b.block.header.tx_root));
  }
  EXPECT_FALSE(blocks().tx_proof(h, hashes.size()));
}

TEST_F(BlockStoreTest, BranchChainFollowsLinks) {
  chain_.save_blocks(blocks(), 30);
  for (Branch b : {Branch::kIdentity, Branch::kCharging, Branch::kEvaluation, Branch::kMarket}) {
    std::vector<Height> expected;
    for (auto it = chain_.built().rbegin(); it != chain_.built().rend(); ++it) {
      for (const BranchLink& link : it->block.header.branches)
        if (link.branch == b) expected.push_back(it->block.header.height);
    }
    ASSERT_GE(expected.size(), 3u);
    EXPECT_EQ(blocks().branch_chain(b, 1000), expected);
    EXPECT_EQ(*blocks().latest_branch_block(b), expected.front());
    const auto two = blocks().branch_chain(b, 2);
    EXPECT_EQ(two, std::vector<Height>(expected.begin(), expected.begin() + 2));
  }
}

TEST_F(BlockStoreTest, SaveRefusesWhatDoesNotFit) {
  BuiltBlock first = chain_.next(2);
  BuiltBlock wrong_height = first;
  wrong_height.block.header.height = 2;
  EXPECT_THROW(blocks().save(wrong_height.block, wrong_height.results, wrong_height.commit),
               std::invalid_argument);
  EXPECT_THROW(blocks().save(first.block, std::vector<TxResult>(1), first.commit),
               std::invalid_argument);
  Commit other = first.commit;
  other.block_hash.bytes[0] ^= 1;
  EXPECT_THROW(blocks().save(first.block, first.results, other), std::invalid_argument);
  EXPECT_EQ(blocks().height(), 0u);
  blocks().save(first.block, first.results, first.commit);
  EXPECT_EQ(blocks().height(), 1u);
}

TEST_F(BlockStoreTest, FailedSaveLeavesNoPartialBlock) {
  chain_.save_blocks(blocks(), 3);
  BuiltBlock b = chain_.next(0);
  // A transaction already in the chain cannot be stored again.
  b.block.txs.push_back(chain_.built()[0].block.txs[0]);
  b.block.txs.push_back(chain_.built()[0].block.txs[1]);
  b.results.resize(2);
  EXPECT_THROW(blocks().save(b.block, b.results, b.commit), store::StoreError);
  EXPECT_EQ(blocks().height(), 3u);
  EXPECT_EQ(blocks().tx(hash_of(b.block.txs[0]))->height, 1u);
  EXPECT_EQ(blocks().verify_chain(), "");
}

TEST_F(BlockStoreTest, SaveIsUndoneWithTheCallersTransaction) {
  chain_.save_blocks(blocks(), 2);
  const BuiltBlock b = chain_.next(3);
  {
    store::Transaction tx(db());
    blocks().save(b.block, b.results, b.commit);
    EXPECT_EQ(blocks().height(), 3u);
  }  // rolled back
  EXPECT_EQ(blocks().height(), 2u);
  EXPECT_FALSE(blocks().tx(hash_of(b.block.txs[0])));
  {
    store::Transaction tx(db());
    blocks().save(b.block, b.results, b.commit);
    tx.commit();
  }
  EXPECT_EQ(blocks().height(), 3u);
}

constexpr const char* kIndexedHeight =
    "SELECT coalesce((SELECT value FROM meta WHERE key = 'tx_hash_index_height'), 0)";

std::int64_t count_of(store::Database& db, const std::string& sql) {
  auto q = db.prepare(sql);
  q.step();
  return q.column_int(0);
}

TEST_F(BlockStoreTest, TransactionHashesAreIndexedManyBlocksAtATime) {
  // Up to kTxIndexBatchBlocks blocks wait above the index; every transaction is found by its
  // hash wherever it is, by this store, by a store opened afterwards, and by one opened before
  // the blocks were saved.
  BlockStore early(db());
  EXPECT_FALSE(early.tx(sha256(std::string_view("nothing yet"))));
  const std::size_t blocks_saved = kTxIndexBatchBlocks + 5;
  chain_.save_blocks(blocks(), blocks_saved);
  std::size_t in_first_batch = 0;
  for (const BuiltBlock& b : chain_.built()) {
    if (b.block.header.height <= kTxIndexBatchBlocks) in_first_batch += b.block.txs.size();
  }
  EXPECT_EQ(count_of(db(), "SELECT count(*) FROM tx_hash_index"),
            static_cast<std::int64_t>(in_first_batch));
  EXPECT_EQ(count_of(db(), kIndexedHeight), static_cast<std::int64_t>(kTxIndexBatchBlocks));
  BlockStore later(db());
  std::size_t found = 0;
  for (const BuiltBlock& b : chain_.built()) {
    for (std::size_t i = 0; i < b.block.txs.size(); ++i) {
      const Hash hash = hash_of(b.block.txs[i]);
      for (const BlockStore* store : {&blocks(), &later, &early}) {
        const auto record = store->tx(hash);
        ASSERT_TRUE(record) << "block " << b.block.header.height << " tx " << i;
        EXPECT_EQ(record->height, b.block.header.height);
        EXPECT_EQ(record->index, i);
        ASSERT_TRUE(store->tx_proof(hash));
      }
      ++found;
    }
  }
  EXPECT_GT(found, in_first_batch);
  // Stored once, whether the earlier copy is in the index or above it.
  auto first_with_txs_after = [&](Height h) {
    for (const BuiltBlock& built : chain_.built())
      if (built.block.header.height > h && !built.block.txs.empty())
        return built.block.header.height;
    return Height{0};
  };
  const BuiltBlock next_empty = chain_.next(0);
  for (const Height from : {first_with_txs_after(0), first_with_txs_after(kTxIndexBatchBlocks)}) {
    ASSERT_GT(from, 0u);
    BuiltBlock b = next_empty;
    const auto& earlier = chain_.built()[from - 1].block.txs;
    b.block.txs.push_back(earlier.front());
    b.results.resize(1);
    try {
      blocks().save(b.block, b.results, b.commit);
      ADD_FAILURE() << "a transaction of block " << from << " was stored again";
    } catch (const store::StoreError& e) {
      EXPECT_NE(std::string(e.what()).find("is in block " + std::to_string(from) + " already"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(blocks().verify_chain(), "");
}

TEST_F(BlockStoreTest, AnIndexBatchRolledBackWithItsBlockIsWrittenWithTheNextBlock) {
  chain_.save_blocks(blocks(), kTxIndexBatchBlocks - 1);
  const BuiltBlock b = chain_.next(3);
  {
    store::Transaction tx(db());
    blocks().save(b.block, b.results, b.commit);
    EXPECT_EQ(count_of(db(), kIndexedHeight), static_cast<std::int64_t>(kTxIndexBatchBlocks));
  }  // rolled back
  EXPECT_EQ(count_of(db(), "SELECT count(*) FROM tx_hash_index"), 0);
  EXPECT_EQ(count_of(db(), kIndexedHeight), 0);
  EXPECT_FALSE(blocks().tx(hash_of(b.block.txs[0])));
  for (const BuiltBlock& built : chain_.built()) {
    if (built.block.header.height < kTxIndexBatchBlocks && !built.block.txs.empty()) {
      EXPECT_TRUE(blocks().tx(hash_of(built.block.txs[0])));
    }
  }
  blocks().save(b.block, b.results, b.commit);
  EXPECT_EQ(count_of(db(), "SELECT max(height) FROM tx_hash_index"),
            static_cast<std::int64_t>(kTxIndexBatchBlocks));
  EXPECT_EQ(count_of(db(), kIndexedHeight), static_cast<std::int64_t>(kTxIndexBatchBlocks));
  EXPECT_EQ(blocks().tx(hash_of(b.block.txs[2]))->index, 2u);
  EXPECT_EQ(BlockStore(db()).tx(hash_of(b.block.txs[2]))->height, kTxIndexBatchBlocks);
}

TEST_F(BlockStoreTest, AStoreThatSawARolledBackBlockFindsTheOneSavedInItsPlace) {
  // Two stores on one connection: the reader sees the writer's block before it rolls back, then
  // another block is saved at that height; the reader must find its transactions, not keep
  // believing it has read that height already.
  chain_.save_blocks(blocks(), 2);
  ChainBuilder same_start;  // the same first blocks, then another third one
  for (const BuiltBlock& b : chain_.built()) same_start.next(b.block.txs.size());
  const BuiltBlock first_try = chain_.next(2);
  const BuiltBlock second_try = same_start.next(4);
  const Hash only_in_second = hash_of(second_try.block.txs[3]);
  for (const Transaction& tx : first_try.block.txs) ASSERT_NE(hash_of(tx), only_in_second);
  BlockStore reader(db());
  {
    store::Transaction tx(db());
    blocks().save(first_try.block, first_try.results, first_try.commit);
    EXPECT_TRUE(reader.tx(hash_of(first_try.block.txs[0])));
  }  // rolled back
  BlockStore writer(db());
  writer.save(second_try.block, second_try.results, second_try.commit);
  const auto record = reader.tx(only_in_second);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->height, 3u);
  EXPECT_EQ(record->index, 3u);
  EXPECT_EQ(reader.verify_chain(), "");
}

TEST_F(BlockStoreTest, VerifyChainFindsAHashIndexThatDoesNotMatchTheTransactions) {
  chain_.save_blocks(blocks(), kTxIndexBatchBlocks + 2);
  ASSERT_EQ(blocks().verify_chain(), "");
  db().exec("DELETE FROM tx_hash_index WHERE prefix = (SELECT prefix FROM tx_hash_index LIMIT 1)");
  const std::string problem = blocks().verify_chain();
  EXPECT_NE(problem.find("the transaction hash index says it holds blocks 1.." +
                         std::to_string(kTxIndexBatchBlocks)),
            std::string::npos)
      << problem;
}

TEST_F(BlockStoreTest, ChecksPassOnAGoodChainAndReportProgress) {
  chain_.save_blocks(blocks(), 25);
  EXPECT_EQ(blocks().quick_check(10), "");
  Height last_checked = 0;
  Height last_total = 0;
  EXPECT_EQ(blocks().verify_chain([&](Height checked, Height total) {
    last_checked = checked;
    last_total = total;
  }),
            "");
  EXPECT_EQ(last_checked, 25u);
  EXPECT_EQ(last_total, 25u);
}

TEST_F(BlockStoreTest, ChecksFindAFlippedHeaderByte) {
  chain_.save_blocks(blocks(), 20);
  Bytes header = encode(chain_.built()[6].block.header);
  header[header.size() / 2] ^= 0x01;
  SqlStatement update(db(), "UPDATE blocks SET header = ?1 WHERE height = 7");
  update.bind(1, header).run();
  EXPECT_EQ(blocks().quick_check(5), "");  // only the newest 5 blocks
  const std::string quick = blocks().quick_check(20);
  EXPECT_EQ(quick.rfind("block 7: ", 0), 0u) << quick;
  const std::string full = blocks().verify_chain();
  EXPECT_EQ(full.rfind("block 7: ", 0), 0u) << full;
}

TEST_F(BlockStoreTest, ChecksFindADamagedStoredProof) {
  chain_.save_blocks(blocks(), 12);
  std::size_t victim = 0;
  while (chain_.built()[victim].block.txs.size() < 2) ++victim;
  const auto height = static_cast<std::int64_t>(chain_.built()[victim].block.header.height);
  db().prepare(
          "UPDATE txs SET path = substr(path, 1, length(path) - 1) || x'ee' "
          "WHERE height = ?1 AND idx = 1;")
      .bind(1, height)
      .run();
  const std::string full = blocks().verify_chain();
  EXPECT_EQ(full.rfind("block " + std::to_string(height) + ": ", 0), 0u) << full;
  EXPECT_NE(full.find("Merkle proof of transaction 1"), std::string::npos) << full;
}

TEST_F(BlockStoreTest, ChecksFindAMissingTransaction) {
  chain_.save_blocks(blocks(), 10);
  std::size_t victim = 0;
  while (chain_.built()[victim].block.txs.size() < 2) ++victim;
  const Height h = victim + 1;
  SqlStatement remove(db(), "DELETE FROM txs WHERE height = ?1 AND idx = 0");
  remove.bind(1, static_cast<std::int64_t>(h)).run();
  const std::string prefix = "block " + std::to_string(h) + ": ";
  const std::string quick = blocks().quick_check(10);
  EXPECT_EQ(quick.rfind(prefix, 0), 0u) << quick;
  EXPECT_NE(quick.find("missing"), std::string::npos) << quick;
  const std::string full = blocks().verify_chain();
  EXPECT_EQ(full.rfind(prefix, 0), 0u) << full;
}

TEST_F(BlockStoreTest, ChecksFindAWrongPrevLink) {
  chain_.save_blocks(blocks(), 10);
  // A consistent row (hash matches header) whose header points at the wrong parent.
  BlockHeader header = chain_.built()[7].block.header;
  header.prev_block = sha256(std::string_view("not the parent"));
  SqlStatement update(db(), "UPDATE blocks SET header = ?1, hash = ?2 WHERE height = 8");
  update.bind(1, encode(header)).bind(2, hash_of(header).bytes).run();
  const std::string quick = blocks().quick_check(5);
  EXPECT_EQ(quick.rfind("block 8: prev_block", 0), 0u) << quick;
  const std::string full = blocks().verify_chain();
  EXPECT_EQ(full.rfind("block 8: prev_block", 0), 0u) << full;
}

TEST_F(BlockStoreTest, VerifyChainFindsABrokenBranchLink) {
  chain_.save_blocks(blocks(), 6);
  chain_.break_next_branch_link();
  BuiltBlock bad = chain_.next(2);
  blocks().save(bad.block, bad.results, bad.commit);
  chain_.save_blocks(blocks(), 3);
  EXPECT_EQ(blocks().quick_check(100), "");  // hashes and tx roots are all fine
  const std::string full = blocks().verify_chain();
  EXPECT_EQ(full.rfind("block 7: branch", 0), 0u) << full;
}

}  // namespace
}  // namespace pilemesh::ledger::test
