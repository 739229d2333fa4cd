#include "pilemesh/ledger/block_store.hpp"

#include <stdexcept>
#include <string>

#include "block_codec.hpp"
#include "block_store_statements.hpp"
#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {

using detail::decoded_or_throw;
using detail::hash_from_blob;

BlockStore::BlockStore(store::Database& db) : db_(db), sql_(std::make_unique<Statements>(db)) {}

BlockStore::~BlockStore() = default;

void BlockStore::save(const Block& block, std::span<const TxResult> results,
                      const Commit& commit_of_this_block) {
  const BlockHeader& header = block.header;
  const Height expected = height() + 1;
  const std::string name = "block " + std::to_string(header.height);
  if (header.height != expected) {
    throw std::invalid_argument(name + ": the next block to store is " + std::to_string(expected));
  }
  if (results.size() != block.txs.size()) {
    throw std::invalid_argument(name + ": " + std::to_string(results.size()) + " results for " +
                                std::to_string(block.txs.size()) + " transactions");
  }
  const Hash hash = hash_of(header);
  if (commit_of_this_block.height != header.height || commit_of_this_block.block_hash != hash) {
    throw std::invalid_argument(name + ": the commit is for another block");
  }
  const auto height_value = static_cast<std::int64_t>(header.height);
  catch_up_unindexed();
  with_savepoint(db_, "block_save", [&] {
    {
      SqlCursor c(sql_->insert_block);
      c->bind(1, height_value)
          .bind(2, hash.bytes)
          .bind(3, encode(header))
          .bind(4, encode(block.last_commit))
          .bind(5, encode(commit_of_this_block))
          .run();
    }
    std::vector<Bytes> encoded;
    std::vector<Hash> hashes;
    encoded.reserve(block.txs.size());
    hashes.reserve(block.txs.size());
    for (const Transaction& tx : block.txs) {
      encoded.push_back(encode(tx));
      hashes.push_back(sha256(encoded.back()));
    }
    // Each transaction keeps its inclusion proof, so that serving one (history, the API) is a
    // row read instead of hashing the block's whole tree again.
    const std::vector<MerkleProof> proofs = merkle_prove_all(hashes);
    for (std::size_t i = 0; i < block.txs.size(); ++i) {
      // A transaction is stored once (the hash index is not unique, nor written per block).
      if (const auto found = find_tx(hashes[i], false)) {
        throw store::StoreError(name + ": transaction " + hashes[i].hex() + " is in block " +
                                std::to_string(found->height) + " already");
      }
      SqlCursor c(sql_->insert_tx);
      c->bind(1, hashes[i].bytes)
          .bind(2, height_value)
          .bind(3, static_cast<std::int64_t>(i))
          .bind(4, encoded[i])
          .bind(5, static_cast<std::int64_t>(results[i].code))
          .bind(6, std::string_view(results[i].log))
          .bind(7, detail::encode_proof_path(proofs[i]))
          .run();
      unindexed_[hashes[i]] = {header.height, static_cast<std::uint32_t>(i)};
    }
    unindexed_through_ = header.height;
    unindexed_through_hash_ = hash;
    // Every kTxIndexBatchBlocks blocks, the blocks above the index go into it, in key order;
    // unindexed_ lets go of them when the next save() sees the index's new height committed.
    // (catch_up_unindexed() above left unindexed_above_ at the index's height.)
    if (const Height indexed = unindexed_above_; header.height >= indexed + kTxIndexBatchBlocks) {
      SqlCursor(sql_->index_txs_after)->bind(1, static_cast<std::int64_t>(indexed)).run();
      SqlCursor(sql_->set_indexed_height)->bind(1, height_value).run();
    }
    for (const BranchLink& link : header.branches) {
      SqlCursor c(sql_->insert_branch);
      c->bind(1, static_cast<std::int64_t>(link.branch))
          .bind(2, static_cast<std::int64_t>(link.branch_height))
          .bind(3, height_value)
          .run();
    }
  });
}

Height BlockStore::height() const {
  SqlCursor c(sql_->max_height);
  c->step();
  return static_cast<Height>(c->column_int(0));  // max() of no rows is NULL, read as 0
}

std::optional<BlockHeader> BlockStore::header(Height height) const {
  SqlCursor c(sql_->block_row);
  c->bind(1, static_cast<std::int64_t>(height));
  if (!c->step()) return std::nullopt;
  return decoded_or_throw(decode_block_header(c->column_blob(1)), db_,
                          "block " + std::to_string(height) + " header");
}

std::optional<Hash> BlockStore::block_hash(Height height) const {
  SqlCursor c(sql_->block_row);
  c->bind(1, static_cast<std::int64_t>(height));
  if (!c->step()) return std::nullopt;
  return hash_from_blob(c->column_blob(0));
}

std::optional<Height> BlockStore::height_of(const Hash& block_hash) const {
  SqlCursor c(sql_->height_of);
  c->bind(1, block_hash.bytes);
  if (!c->step()) return std::nullopt;
  return static_cast<Height>(c->column_int(0));
}

std::optional<Block> BlockStore::block(Height height) const {
  const std::string name = "block " + std::to_string(height);
  Block block;
  {
    SqlCursor c(sql_->block_row);
    c->bind(1, static_cast<std::int64_t>(height));
    if (!c->step()) return std::nullopt;
    block.header = decoded_or_throw(decode_block_header(c->column_blob(1)), db_, name + " header");
    block.last_commit =
        decoded_or_throw(decode_commit(c->column_blob(2)), db_, name + " last commit");
  }
  SqlCursor c(sql_->block_txs);
  c->bind(1, static_cast<std::int64_t>(height));
  while (c->step()) {
    block.txs.push_back(
        decoded_or_throw(decode_transaction(c->column_blob(2)), db_,
                         name + " transaction " + std::to_string(c->column_int(1))));
  }
  return block;
}

std::optional<Commit> BlockStore::commit(Height height) const {
  SqlCursor c(sql_->block_row);
  c->bind(1, static_cast<std::int64_t>(height));
  if (!c->step()) return std::nullopt;
  return decoded_or_throw(decode_commit(c->column_blob(3)), db_,
                          "block " + std::to_string(height) + " commit");
}

std::vector<Hash> BlockStore::tx_hashes(Height height) const {
  std::vector<Hash> hashes;
  SqlCursor c(sql_->block_tx_hashes);
  c->bind(1, static_cast<std::int64_t>(height));
  while (c->step()) hashes.push_back(hash_from_blob(c->column_blob(0)));
  return hashes;
}

std::optional<MerkleProof> BlockStore::tx_proof(Height height, std::uint64_t index) const {
  {
    SqlCursor c(sql_->tx_path);
    c->bind(1, static_cast<std::int64_t>(height)).bind(2, static_cast<std::int64_t>(index));
    if (!c->step()) return std::nullopt;
    if (!c->column_is_null(0)) {
      if (auto proof = detail::decode_proof_path(c->column_blob(0), index)) return proof;
    }
  }
  // Blocks stored before proofs were kept with their transactions.
  const std::vector<Hash> hashes = tx_hashes(height);
  if (index >= hashes.size()) return std::nullopt;
  return merkle_prove(hashes, index);
}

std::optional<Height> BlockStore::latest_branch_block(Branch b) const {
  SqlCursor c(sql_->latest_branch);
  c->bind(1, static_cast<std::int64_t>(b));
  if (!c->step()) return std::nullopt;
  return static_cast<Height>(c->column_int(0));
}

std::vector<Height> BlockStore::branch_chain(Branch b, std::size_t limit) const {
  std::vector<Height> chain;
  std::optional<Height> at = latest_branch_block(b);
  while (at && chain.size() < limit) {
    chain.push_back(*at);
    const auto h = header(*at);
    const BranchLink* link = nullptr;
    if (h) {
      for (const BranchLink& l : h->branches)
        if (l.branch == b) link = &l;
    }
    if (link == nullptr) {
      throw store::StoreError(db_.path().filename().string() + ": block " + std::to_string(*at) +
                              " is indexed for branch " + std::to_string(static_cast<int>(b)) +
                              " but has no link for it; run verify_chain");
    }
    if (link->prev_branch_block.is_zero()) break;
    at = height_of(link->prev_branch_block);
    // Links only point back; a damaged one must not send the walk in circles.
    if (!at || *at >= chain.back()) {
      throw store::StoreError(db_.path().filename().string() + ": block " +
                              std::to_string(chain.back()) + " links to a missing or later block " +
                              link->prev_branch_block.hex() + " of branch " +
                              std::to_string(static_cast<int>(b)));
    }
  }
  return chain;
}

}  // namespace pilemesh::ledger
