// Transactions waiting for a block: checked through the application on the way in, kept in
// arrival order (which is nonce order per account, since check_tx only admits an account's
// next nonce), bounded in count and bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "pilemesh/ledger/application.hpp"

namespace pilemesh::ledger {

struct MempoolOptions {
  std::size_t max_txs = 5000;
  std::size_t max_bytes = 8 << 20;
  // A transaction still waiting after this many blocks is dropped (its account can resend).
  Height max_age_blocks = 100;
};

class Mempool {
 public:
  Mempool(const Application& app, MempoolOptions options);

  // Checks and admits a transaction. Duplicates, bad nonces and the application's refusals
  // come back with their reason. When full, the newest transaction of the account holding the
  // most room is evicted for a newcomer from an account with fewer waiting; otherwise the
  // newcomer is refused (kMempoolFull), so one busy account cannot crowd out the others.
  TxResult add(const Transaction& tx, Height current_height);

  // Transactions for the next block, oldest first, within the limits.
  std::vector<Transaction> candidates(std::size_t max_txs, std::size_t max_bytes) const;

  // After a block: removes the transactions it included, then re-checks the rest against the
  // new state (dropping those that no longer pass) and drops those older than max_age_blocks.
  void update(std::span<const Transaction> committed, Height new_height);

  std::size_t size() const { return entries_.size(); }
  std::size_t bytes() const { return bytes_; }
  bool contains(const Hash& tx_hash) const { return by_hash_.count(tx_hash) != 0; }

 private:
  struct Entry {
    Transaction tx;
    Hash hash;
    std::size_t size = 0;
    Height added_at = 0;
  };
  void remove_at(std::deque<Entry>::iterator it);
  bool evict_for(const PublicKey& newcomer);

  const Application& app_;
  MempoolOptions options_;
  std::deque<Entry> entries_;  // arrival order
  std::set<Hash> by_hash_;
  std::map<PublicKey, std::uint64_t> pending_per_signer_;
  std::size_t bytes_ = 0;
};

}  // namespace pilemesh::ledger
