// The single-node engine: this gateway is the only validator, and commits a block whenever
// asked to (the ledger service asks when transactions wait, or at an idle interval). It drives
// the Application interface exactly as the BFT engine will, minus the voting rounds.
//
// Pure with respect to time: the caller passes the block time in, so the engine can be run
// under a virtual clock and replayed.
#pragma once

#include <cstdint>
#include <optional>

#include "pilemesh/ledger/application.hpp"
#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/key_store.hpp"
#include "pilemesh/ledger/mempool.hpp"

namespace pilemesh::ledger {

class LedgerStore;

struct SoloOptions {
  std::size_t max_block_txs = 500;
  std::size_t max_block_bytes = 1 << 20;
};

class SoloEngine {
 public:
  SoloEngine(LedgerStore& store, Application& app, Mempool& mempool, const KeyStore& node_key,
             SoloOptions options);

  // On an empty store, applies the genesis (height 0). Throws std::runtime_error when the
  // node's key is not the genesis's only validator.
  void init(const Genesis& genesis);

  // Checks a transaction and adds it to the mempool.
  TxResult submit(const Transaction& tx);

  // Builds, executes, signs and commits the next block from the mempool, atomically: block,
  // results, state and indexes in one storage transaction. Returns its height, or nothing when
  // the mempool is empty and `allow_empty` is false. `now_ms` is the proposer's clock; the
  // block time is kept strictly increasing.
  std::optional<Height> produce(std::int64_t now_ms, bool allow_empty = false);

  Height height() const;
  const Genesis& genesis() const { return genesis_; }

 private:
  std::vector<BranchLink> branch_links(std::span<const Transaction> txs) const;

  LedgerStore& store_;
  Application& app_;
  Mempool& mempool_;
  const KeyStore& key_;
  SoloOptions options_;
  Genesis genesis_;
  Hash validators_hash_;
  // The height of the last block this engine committed, read from the store once: submit asks
  // for it at every transaction, and this engine is the chain's only writer.
  mutable std::optional<Height> height_;
};

// The commit signature of one validator over a block hash (a round-0 precommit).
Commit sign_commit(const std::string& chain_id, Height height, const Hash& block_hash,
                   const KeyStore& key);
// True when every signature of `commit` is valid and made by a member of `validators`, and
// more than two thirds of them signed.
bool verify_commit(const std::string& chain_id, const Commit& commit,
                   const std::vector<PublicKey>& validators);

}  // namespace pilemesh::ledger
