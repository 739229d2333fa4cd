#include "pilemesh/ledger/mempool.hpp"

#include <algorithm>
#include <set>

#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {

Mempool::Mempool(const Application& app, MempoolOptions options) : app_(app), options_(options) {}

TxResult Mempool::add(const Transaction& tx, Height current_height) {
  const Hash hash = hash_of(tx);
  if (by_hash_.count(hash) != 0) return {TxCode::kDuplicate, "already waiting in the mempool"};
  const std::size_t size = encoded_size(tx);
  const auto pending_it = pending_per_signer_.find(tx.signer);
  const std::uint64_t pending = pending_it == pending_per_signer_.end() ? 0 : pending_it->second;
  TxResult result = app_.check_tx(tx, pending);
  if (!result.ok()) return result;
  while (entries_.size() + 1 > options_.max_txs || bytes_ + size > options_.max_bytes) {
    if (!evict_for(tx.signer)) {
      return {TxCode::kMempoolFull, "the mempool is full (" + std::to_string(entries_.size()) +
                                        " transactions); try again after the next block"};
    }
  }
  entries_.push_back({tx, hash, size, current_height});
  by_hash_.insert(hash);
  ++pending_per_signer_[tx.signer];
  bytes_ += size;
  return result;
}

bool Mempool::evict_for(const PublicKey& newcomer) {
  // The account with the most waiting transactions gives up its newest one, if it has more
  // than the newcomer's account would have after admission.
  auto busiest = std::max_element(pending_per_signer_.begin(), pending_per_signer_.end(),
                                  [](const auto& a, const auto& b) { return a.second < b.second; });
  if (busiest == pending_per_signer_.end()) return false;
  const auto newcomer_it = pending_per_signer_.find(newcomer);
  const std::uint64_t newcomer_count =
      newcomer_it == pending_per_signer_.end() ? 0 : newcomer_it->second;
  if (busiest->first == newcomer || busiest->second <= newcomer_count + 1) return false;
  const PublicKey victim = busiest->first;
  for (auto it = entries_.end(); it != entries_.begin();) {
    --it;
    if (it->tx.signer == victim) {
      remove_at(it);
      return true;
    }
  }
  return false;
}

void Mempool::remove_at(std::deque<Entry>::iterator it) {
  by_hash_.erase(it->hash);
  bytes_ -= it->size;
  if (auto p = pending_per_signer_.find(it->tx.signer); p != pending_per_signer_.end()) {
    if (--p->second == 0) pending_per_signer_.erase(p);
  }
  entries_.erase(it);
}

std::vector<Transaction> Mempool::candidates(std::size_t max_txs, std::size_t max_bytes) const {
  std::vector<Transaction> out;
  std::size_t bytes = 0;
  for (const Entry& e : entries_) {
    if (out.size() >= max_txs || bytes + e.size > max_bytes) break;
    out.push_back(e.tx);
    bytes += e.size;
  }
  return out;
}

void Mempool::update(std::span<const Transaction> committed, Height new_height) {
  // One pass over the waiting transactions, whatever the block's size: the committed ones are
  // looked up by hash in a set, not searched for one by one.
  std::set<Hash> included;
  if (!entries_.empty()) {
    for (const Transaction& tx : committed) {
      const Hash hash = hash_of(tx);
      if (by_hash_.count(hash) != 0) included.insert(hash);
    }
  }
  // Re-check what is left against the new state, in arrival order, counting each account's
  // survivors so that its later nonces line up again.
  std::deque<Entry> waiting;
  waiting.swap(entries_);
  by_hash_.clear();
  pending_per_signer_.clear();
  bytes_ = 0;
  for (Entry& e : waiting) {
    if (included.count(e.hash) != 0) continue;
    if (new_height > e.added_at + options_.max_age_blocks) continue;
    const std::uint64_t pending = pending_per_signer_[e.tx.signer];
    if (!app_.check_tx(e.tx, pending).ok()) {
      if (pending == 0) pending_per_signer_.erase(e.tx.signer);
      continue;
    }
    by_hash_.insert(e.hash);
    ++pending_per_signer_[e.tx.signer];
    bytes_ += e.size;
    entries_.push_back(std::move(e));
  }
}

}  // namespace pilemesh::ledger
