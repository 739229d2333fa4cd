// One peer's ledger, assembled from its data directory: the node key (node.key), the chain and
// state (ledger.db), the genesis (genesis.json), the application, mempool and engine. Used by
// the daemon and by `pilemesh ledger`, so that both open the same files the same way.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/key_store.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/mempool.hpp"
#include "pilemesh/ledger/solo_engine.hpp"

namespace pilemesh::ledger {

struct LedgerNodeOptions {
  std::filesystem::path data_dir;
  // The genesis file. Empty: <data_dir>/genesis.json, made on first start as a one-node chain
  // with this node as its validator.
  std::filesystem::path genesis_file;
  SoloOptions solo;
  MempoolOptions mempool;
  // Blocks whose hashes and tx roots are re-checked at start, on top of SQLite's own check.
  std::size_t quick_check_blocks = 16;
};

class LedgerNode {
 public:
  // Opens or creates everything. Throws std::runtime_error with a message naming the file and
  // what is wrong (corrupt database, genesis of another chain, unreadable key file ...).
  static std::unique_ptr<LedgerNode> open(const LedgerNodeOptions& options);

  // The node's key, behind the key-store interface: a 0600 key file today.
  const KeyStore& key() const { return *key_; }
  const Genesis& genesis() const { return genesis_; }
  LedgerStore& store() { return store_; }
  LedgerApp& app() { return app_; }
  Mempool& mempool() { return mempool_; }
  SoloEngine& engine() { return engine_; }

 private:
  LedgerNode(std::unique_ptr<KeyStore> key, Genesis genesis, LedgerStore store,
             const LedgerNodeOptions& options);
  std::unique_ptr<KeyStore> key_;
  Genesis genesis_;
  LedgerStore store_;
  LedgerApp app_;
  Mempool mempool_;
  SoloEngine engine_;
};

// Genesis files are JSON (an edge, read by people):
// {"chain_id": "...", "time_ms": 1700000000000, "validators": ["<hex key>"],
//  "accounts": [{"key": "<hex key>", "balance": 1000}],
//  "members": [{"key": "<hex key>", "role": "admin" | "owner" | "ev_user"}],
//  "params": {"attestations_to_verify": 2, ...}}   (ServiceParams; every one optional)
// Throws std::runtime_error naming the file and the field.
Genesis load_genesis(const std::filesystem::path& file);
std::string genesis_to_json(const Genesis& genesis);
Genesis genesis_from_json(std::string_view text, const std::string& source);
// The hash that identifies a chain: sha256 of its genesis JSON as written by genesis_to_json.
Hash genesis_hash(const Genesis& genesis);

}  // namespace pilemesh::ledger
