// The starting point of a chain: its id, time, validators and initial accounts. Every peer of
// a neighbourhood starts from the same genesis and so from the same state root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"

namespace pilemesh::ledger {

struct GenesisAccount {
  PublicKey key;
  std::uint64_t balance = 0;  // minor currency units
};

struct Genesis {
  std::string chain_id;
  std::int64_t time_ms = 0;
  std::vector<PublicKey> validators;     // sorted, no duplicates
  std::vector<GenesisAccount> accounts;  // sorted by key, no duplicates
};

// Hash of a validator set: sha256 over the sorted keys, each 32 bytes.
Hash validators_hash(const std::vector<PublicKey>& validators);

// Which branch of the block structure a transaction type's records belong to.
Branch branch_of(std::uint16_t tx_type);

}  // namespace pilemesh::ledger
