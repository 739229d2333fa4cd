// The chain the crash test's child runs: a few accounts with deterministic keys, funded in the
// genesis, so that every block changes real state (balances, piles, charging records, ratings).
#pragma once

#include <algorithm>
#include <array>
#include <vector>

#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger::crash {

inline constexpr std::size_t kAccounts = 8;

inline std::vector<KeyPair> crash_accounts() {
  std::vector<KeyPair> keys;
  for (std::size_t i = 0; i < kAccounts; ++i) {
    std::array<std::uint8_t, 32> seed{};
    seed.fill(static_cast<std::uint8_t>(0x40 + i));
    keys.push_back(KeyPair::from_seed(seed));
  }
  return keys;
}

inline Genesis crash_genesis(const PublicKey& validator) {
  Genesis g;
  g.chain_id = "crash-test";
  g.time_ms = 1'700'000'000'000;
  g.validators = {validator};
  for (const KeyPair& k : crash_accounts()) g.accounts.push_back({k.public_key(), 1'000'000'000});
  std::sort(g.accounts.begin(), g.accounts.end(),
            [](const GenesisAccount& a, const GenesisAccount& b) { return a.key < b.key; });
  for (const GenesisAccount& a : g.accounts) g.members.push_back({a.key, Role::kAdmin});
  return g;
}

}  // namespace pilemesh::ledger::crash
