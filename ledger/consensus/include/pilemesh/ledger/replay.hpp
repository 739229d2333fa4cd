// Re-executes a chain from genesis with a fresh application and compares, block by block, the
// state root each header claims with the one execution gives — the determinism check behind
// `pilemesh ledger verify`, and what a peer does to catch up.
#pragma once

#include <functional>
#include <string>

#include "pilemesh/ledger/application.hpp"
#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/genesis.hpp"

namespace pilemesh::ledger {

class LedgerStore;

struct ReplayReport {
  Height checked = 0;     // blocks replayed and found equal
  Height bad_height = 0;  // the first block that disagrees; 0 when all agree
  std::string reason;     // why it disagrees
  bool ok() const { return bad_height == 0; }
};

// Replays blocks 1..source.height() into `target` (an empty ledger store driven by `app`, a
// fresh application over target's state), checking on the way each block's commit signatures
// by the genesis validators, every transaction's signature, the tx root and the state root.
ReplayReport replay_chain(const BlockStore& source, const Genesis& genesis, LedgerStore& target,
                          Application& app,
                          const std::function<void(Height done, Height total)>& progress = {});

}  // namespace pilemesh::ledger
