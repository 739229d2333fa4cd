// Finding a stored transaction by its hash: through tx_hash_index for the blocks it holds, and
// through a map in memory for the blocks above it (block_store.hpp says why).
#include <algorithm>
#include <cstring>

#include "block_codec.hpp"
#include "block_store_statements.hpp"
#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {

using detail::decoded_or_throw;
using detail::hash_from_blob;

std::size_t BlockStore::HashKey::operator()(const Hash& h) const {
  // A hash's bytes are already uniform.
  std::size_t key = 0;
  std::memcpy(&key, h.bytes.data(), sizeof key);
  return key;
}

Height BlockStore::indexed_height() const {
  SqlCursor c(sql_->indexed_height);
  if (!c->step()) return 0;
  return static_cast<Height>(c->column_int(0));
}

void BlockStore::catch_up_unindexed() const {
  const Height indexed = indexed_height();
  // The last block read may have been rolled back since (and another saved in its place).
  const bool went_back = unindexed_through_ && *unindexed_through_ > indexed &&
                         block_hash(*unindexed_through_) != unindexed_through_hash_;
  if (!unindexed_through_ || indexed < unindexed_above_ || went_back) {
    unindexed_.clear();
    unindexed_through_ = indexed;
    unindexed_above_ = indexed;
  }
  if (indexed > unindexed_above_) {
    std::erase_if(unindexed_, [&](const auto& entry) { return entry.second.height <= indexed; });
    unindexed_above_ = indexed;
  }
  const Height from = std::max(*unindexed_through_, indexed);
  const Height top = height();
  if (top <= from) return;
  unindexed_through_hash_ = block_hash(top);
  SqlCursor c(sql_->txs_after);
  c->bind(1, static_cast<std::int64_t>(from));
  while (c->step()) {
    unindexed_[hash_from_blob(c->column_blob(0))] = {static_cast<Height>(c->column_int(1)),
                                                     static_cast<std::uint32_t>(c->column_int(2))};
  }
  unindexed_through_ = top;
}

std::optional<BlockStore::TxPlace> BlockStore::find_tx(const Hash& tx_hash, bool refresh,
                                                       TxRecord* out) const {
  // The row's transaction and result, from the statement that found it (columns from `first`).
  auto fill = [&](SqlCursor& row, int first) {
    if (out == nullptr) return;
    out->tx = decoded_or_throw(decode_transaction(row->column_blob(first)), db_,
                               "transaction " + tx_hash.hex());
    out->result.code = static_cast<TxCode>(row->column_int(first + 1));
    out->result.log = row->column_text(first + 2);
  };
  if (!unindexed_through_) catch_up_unindexed();
  auto in_memory = [&]() -> std::optional<TxPlace> {
    const auto it = unindexed_.find(tx_hash);
    if (it == unindexed_.end()) return std::nullopt;
    SqlCursor c(sql_->tx_at);
    c->bind(1, static_cast<std::int64_t>(it->second.height))
        .bind(2, static_cast<std::int64_t>(it->second.index));
    // An entry left by a block that was rolled back after save() points to another row.
    if (!c->step() || c->column_blob(0) != Bytes(tx_hash.bytes.begin(), tx_hash.bytes.end()))
      return std::nullopt;
    fill(c, 1);
    return it->second;
  };
  auto indexed = [&]() -> std::optional<TxPlace> {
    SqlCursor c(sql_->indexed_tx);
    c->bind(1, tx_hash.bytes);
    if (!c->step()) return std::nullopt;
    fill(c, 2);
    return TxPlace{static_cast<Height>(c->column_int(0)),
                   static_cast<std::uint32_t>(c->column_int(1))};
  };
  if (auto place = in_memory()) return place;
  if (auto place = indexed()) return place;
  // Not found: unless this store is the one saving blocks, another may have saved blocks since,
  // or indexed them between the two looks above.
  if (!refresh) return std::nullopt;
  catch_up_unindexed();
  if (auto place = in_memory()) return place;
  return indexed();
}

std::optional<TxRecord> BlockStore::tx(const Hash& tx_hash) const {
  TxRecord record;
  const auto place = find_tx(tx_hash, true, &record);
  if (!place) return std::nullopt;
  record.hash = tx_hash;
  record.height = place->height;
  record.index = place->index;
  return record;
}

std::optional<MerkleProof> BlockStore::tx_proof(const Hash& tx_hash) const {
  const auto place = find_tx(tx_hash, true);
  if (!place) return std::nullopt;
  return tx_proof(place->height, place->index);
}

}  // namespace pilemesh::ledger
