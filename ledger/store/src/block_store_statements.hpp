// The prepared statements of BlockStore, shared by its reading, writing and checking parts.
#pragma once

#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/sql_statement.hpp"

namespace pilemesh::ledger {

struct BlockStore::Statements {
  explicit Statements(store::Database& db)
      : insert_block(db,
                     "INSERT INTO blocks(height, hash, header, last_commit, commit_bytes) "
                     "VALUES (?1, ?2, ?3, ?4, ?5)"),
        insert_tx(db,
                  "INSERT INTO txs(hash, height, idx, bytes, code, log, path) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        insert_branch(db,
                      "INSERT INTO branch_blocks(branch, branch_height, height) "
                      "VALUES (?1, ?2, ?3)"),
        max_height(db, "SELECT max(height) FROM blocks"),
        block_row(db,
                  "SELECT hash, header, last_commit, commit_bytes FROM blocks WHERE height = ?1"),
        height_of(db, "SELECT height FROM blocks WHERE hash = ?1"),
        block_txs(db, "SELECT hash, idx, bytes FROM txs WHERE height = ?1 ORDER BY idx"),
        // A range of the table's primary key (height, idx).
        block_tx_hashes(db, "SELECT hash FROM txs WHERE height = ?1 ORDER BY idx"),
        // Through the hash index (the blocks it holds; see block_store.hpp): its key is the
        // hash's first 8 bytes, the row's own hash is compared whole.
        indexed_tx(db,
                   "SELECT t.height, t.idx, t.bytes, t.code, t.log FROM tx_hash_index i JOIN txs t "
                   "ON t.height = i.height AND t.idx = i.idx "
                   "WHERE i.prefix = substr(?1, 1, 8) AND t.hash = ?1"),
        tx_at(db, "SELECT hash, bytes, code, log FROM txs WHERE height = ?1 AND idx = ?2"),
        txs_after(db, "SELECT hash, height, idx FROM txs WHERE height > ?1"),
        index_txs_after(db,
                        "INSERT INTO tx_hash_index(prefix, height, idx) "
                        "SELECT substr(hash, 1, 8), height, idx FROM txs WHERE height > ?1 "
                        "ORDER BY 1, 2, 3"),
        indexed_height(db, "SELECT value FROM meta WHERE key = 'tx_hash_index_height'"),
        set_indexed_height(db,
                           "INSERT OR REPLACE INTO meta(key, value) "
                           "VALUES ('tx_hash_index_height', ?1)"),
        tx_path(db, "SELECT path FROM txs WHERE height = ?1 AND idx = ?2"),
        latest_branch(db,
                      "SELECT height FROM branch_blocks WHERE branch = ?1 "
                      "ORDER BY branch_height DESC LIMIT 1"),
        branch_row(db,
                   "SELECT height FROM branch_blocks WHERE branch = ?1 AND branch_height = ?2") {}

  SqlStatement insert_block, insert_tx, insert_branch, max_height, block_row, height_of, block_txs,
      block_tx_hashes, indexed_tx, tx_at, txs_after, index_txs_after, indexed_height,
      set_indexed_height, tx_path, latest_branch, branch_row;
};

}  // namespace pilemesh::ledger
