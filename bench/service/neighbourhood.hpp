// A neighbourhood for the sharing service's benchmarks, built through the real contracts on a
// real ledger.db: an admin named in the genesis, pile owners and EV users who join by
// transactions and are verified by the admin, piles at varied geohash cells (some open only at
// set hours, some closed for maintenance) with varied tariffs, and members' wallets topped up
// by the admin. Every transaction is signed by its member's own key and committed by the solo
// engine in blocks, as the daemon does.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "bench_node.hpp"
#include "pilemesh/ledger/service_codec.hpp"
#include "pilemesh/ledger/service_payloads.hpp"

namespace pilemesh::ledger::bench {

// Monday 2026-11-23 00:00 UTC; the chain's genesis is an hour before.
inline constexpr std::int64_t kMonday = 1'795'392'000'000;
inline constexpr std::int64_t kMinute = 60'000;
inline constexpr std::int64_t kHour = 60 * kMinute;

struct NeighbourhoodSize {
  std::size_t owners = 500;
  std::size_t piles_per_owner = 20;
  std::size_t members = 200;
};

struct BenchPile {
  std::string id;
  std::size_t owner = 0;  // index into owners
  PileSpec spec;
  Tariff tariff;
  bool always_open = false;  // all week, no closures
};

class Neighbourhood {
 public:
  // Builds the chain up to verified, priced piles and funded members (a few tens of thousands
  // of transactions).
  Neighbourhood(const std::filesystem::path& file, NeighbourhoodSize size);

  // A transaction of `key` with its next nonce (counted here, so that many of one signer can
  // wait in the mempool together).
  template <class P>
  Transaction make(const KeyPair& key, TxType type, const P& payload) {
    return sign_tx(key, type, ++nonces_[key.public_key()], encode_service(payload));
  }

  // Submits `txs` and commits them in blocks of at most `block_txs`, each block one second
  // after the last on the virtual clock; throws unless every one is in a block and succeeded.
  void commit(const std::vector<Transaction>& txs, std::size_t block_txs = 500);
  // Moves the virtual clock (block times, and the time check_tx judges by) forward to `ms`.
  void set_clock(std::int64_t ms) {
    clock_ms_ = std::max(clock_ms_, ms);
    node_.app.set_check_time(clock_ms_);
  }
  std::int64_t clock() const { return clock_ms_; }
  // One block of what was submitted, at the next second of the virtual clock.
  void submit(const Transaction& tx);
  void produce();

  Node& node() { return node_; }
  const KeyPair& admin() const { return admin_; }
  const std::vector<KeyPair>& owners() const { return owners_; }
  const std::vector<KeyPair>& members() const { return members_; }
  const std::vector<BenchPile>& piles() const { return piles_; }

 private:
  void build_piles(std::size_t count);

  KeyPair validator_;
  KeyPair admin_;
  std::vector<KeyPair> owners_;
  std::vector<KeyPair> members_;
  std::vector<BenchPile> piles_;
  Node node_;
  std::map<PublicKey, std::uint64_t> nonces_;
  std::int64_t clock_ms_ = kMonday;
};

}  // namespace pilemesh::ledger::bench
