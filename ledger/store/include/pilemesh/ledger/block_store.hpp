// The chain in SQLite: block headers, transactions with their results, the commits, and the
// index of the branch chains (block.hpp). Blocks are append-only; save() writes everything of
// one block inside the caller's transaction, so that the engine commits a block and the state
// it produced together or not at all.
//
// What is stored is the canonical encoding (encoding.hpp): a block reads back byte-identical,
// and hashes are recomputed from exactly the bytes that were hashed when it was made.
//
// Transactions are found by hash through tx_hash_index (the hash's first 8 bytes and the
// transaction's place), which is written kTxIndexBatchBlocks blocks at a time, in key order,
// rather than with every block: a block's 500 hashes are random keys, and indexing them at once
// dirtied a page of the index per transaction, more pages with every block as the chain grew.
// The transactions of the blocks not yet indexed (meta 'tx_hash_index_height' says up to where
// it goes) are found through a map in memory, read from the txs table at first use and kept up
// by save(); an entry of it is trusted only once the row it points to shows the same hash, so a
// block rolled back after save() leaves nothing to be found.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/ledger/result.hpp"
#include "pilemesh/ledger/transaction.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

// A committed transaction with where it is and what it did.
struct TxRecord {
  Transaction tx;
  Hash hash;
  Height height = 0;
  std::uint32_t index = 0;
  TxResult result;
};

// save() indexes the transactions of this many blocks at once (see above).
inline constexpr Height kTxIndexBatchBlocks = 32;

class BlockStore {
 public:
  using TxRecord = pilemesh::ledger::TxRecord;
  // Called with (blocks checked, blocks in all) as verify_chain() goes.
  using Progress = std::function<void(Height checked, Height total)>;

  // The tables are created by LedgerStore's migrations.
  explicit BlockStore(store::Database& db);
  ~BlockStore();
  BlockStore(const BlockStore&) = delete;
  BlockStore& operator=(const BlockStore&) = delete;

  // Stores block, one result per transaction, the branch index rows and the commit that signed
  // the block, atomically (a savepoint; inside the caller's transaction when one is open).
  // Throws std::invalid_argument unless the block is the next height, the results match the
  // transactions and the commit is for this block; store::StoreError when a row cannot be
  // written (e.g. a transaction already in the chain).
  void save(const Block& block, std::span<const TxResult> results,
            const Commit& commit_of_this_block);

  Height height() const;  // of the last stored block; 0 when there is none
  std::optional<BlockHeader> header(Height height) const;
  std::optional<Hash> block_hash(Height height) const;
  std::optional<Height> height_of(const Hash& block_hash) const;
  // The transactions in order and the previous block's commit that the block carried.
  std::optional<Block> block(Height height) const;
  // The commit that signed block `height`.
  std::optional<Commit> commit(Height height) const;

  std::optional<TxRecord> tx(const Hash& tx_hash) const;
  std::vector<Hash> tx_hashes(Height height) const;  // in block order
  // Inclusion proof of a transaction against its block's header.tx_root.
  std::optional<MerkleProof> tx_proof(const Hash& tx_hash) const;
  // The same for the transaction at `index` of block `height`, when its position is known.
  std::optional<MerkleProof> tx_proof(Height height, std::uint64_t index) const;

  // The newest block containing branch b.
  std::optional<Height> latest_branch_block(Branch b) const;
  // Heights of the blocks containing branch b, newest first, at most `limit`, found by
  // following the headers' prev_branch_block links.
  std::vector<Height> branch_chain(Branch b, std::size_t limit) const;

  // Start-up check: SQLite's quick_check, then for the newest `latest_n` blocks that the
  // header hashes, prev_block links, transaction hashes and tx_root agree with the stored
  // rows. Returns "" or what is wrong ("block 12: tx_root does not match ...").
  std::string quick_check(std::size_t latest_n) const;
  // Re-checks every block from 1 as quick_check does, plus the branch links (each block's
  // link for branch b points at the previous block containing b, with the next branch height)
  // and the branch index. Returns "" or the first bad block and why. Signatures and state
  // roots are not checked here: that needs the validators and a replay of the application.
  std::string verify_chain(const Progress& progress = {}) const;

 private:
  struct Statements;
  struct BranchTip;
  std::string check_block(Height height, const std::optional<Hash>& prev_hash,
                          BlockHeader& header_out, Hash& hash_out) const;
  std::string check_branches(Height height, const BlockHeader& header, const Hash& hash,
                             std::vector<BranchTip>& tips) const;

  struct TxPlace {
    Height height = 0;
    std::uint32_t index = 0;
  };
  // Where the transaction with this hash is, if stored; with `out`, also its transaction and
  // result, read by the same statement. `refresh`: when not found, take in the blocks another
  // store on the same file may have saved since this one last looked, and look again.
  std::optional<TxPlace> find_tx(const Hash& tx_hash, bool refresh, TxRecord* out = nullptr) const;
  // Brings `unindexed_` up to the stored blocks: drops what the index now holds, adds the
  // transactions of blocks saved since it was read.
  void catch_up_unindexed() const;
  Height indexed_height() const;

  store::Database& db_;
  std::unique_ptr<Statements> sql_;
  struct HashKey {
    std::size_t operator()(const Hash& h) const;
  };
  // The transactions of the blocks above the index, by hash; read up to `unindexed_through_`.
  mutable std::unordered_map<Hash, TxPlace, HashKey> unindexed_;
  mutable std::optional<Height> unindexed_through_;
  mutable std::optional<Hash> unindexed_through_hash_;  // that block's hash
  mutable Height unindexed_above_ = 0;  // the index's height when unindexed_ was pruned
};

}  // namespace pilemesh::ledger
