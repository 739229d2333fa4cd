// A ledger on a real SQLite file in a temporary folder, with deterministic keys, for the tests
// of the application, the mempool and the solo engine.
#pragma once

#include <array>
#include <memory>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/mempool.hpp"
#include "pilemesh/ledger/solo_engine.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::test {

inline KeyPair key_from(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return KeyPair::from_seed(seed);
}

inline Transaction signed_tx(const KeyPair& key, std::string chain, TxType type,
                             std::uint64_t nonce, Bytes payload) {
  Transaction tx;
  tx.chain_id = std::move(chain);
  tx.type = type;
  tx.signer = key.public_key();
  tx.nonce = nonce;
  tx.payload = std::move(payload);
  tx.signature = key.sign(signing_bytes(tx));
  return tx;
}

inline constexpr const char* kChain = "test-chain";
inline constexpr std::int64_t kGenesisMs = 1'700'000'000'000;

// A node: store, application, mempool and solo engine, from a genesis in which `node` is the
// validator and `funded` accounts hold 1 000 000 units each.
struct Node {
  explicit Node(const std::filesystem::path& file, const KeyPair& node_key,
                std::vector<PublicKey> funded = {})
      : key(node_key),
        store(LedgerStore::open(file)),
        app(store.state()),
        mempool(app, MempoolOptions{}),
        engine(store, app, mempool, key, SoloOptions{}) {
    genesis.chain_id = kChain;
    genesis.time_ms = kGenesisMs;
    genesis.validators = {key.public_key()};
    std::sort(funded.begin(), funded.end());
    for (const auto& k : funded) genesis.accounts.push_back({k, 1'000'000});
    // Admins, so that each may register piles without waiting for attestations.
    for (const auto& k : funded) genesis.members.push_back({k, Role::kAdmin});
    engine.init(genesis);
  }
  FileKeyStore key;
  Genesis genesis;
  LedgerStore store;
  LedgerApp app;
  Mempool mempool;
  SoloEngine engine;
};

}  // namespace pilemesh::ledger::test
