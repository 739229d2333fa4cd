// The ledger inside the daemon: owns this peer's LedgerNode and drives its solo engine from
// the event loop — a block shortly after transactions arrive (block_interval), and an empty
// one after a long quiet spell if configured. Also puts the gateway's own piles on the ledger.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pilemesh/config/config.hpp"
#include "pilemesh/ledger/ledger_node.hpp"

namespace pilemesh::gateway {

class LedgerService {
 public:
  // Throws std::runtime_error (from LedgerNode::open) when the ledger cannot be used.
  LedgerService(boost::asio::io_context& io, const std::filesystem::path& data_dir,
                const config::LedgerSection& config);
  ~LedgerService();

  void start();
  void stop();

  // Checks a transaction and queues it for the next block.
  ledger::TxResult submit(const ledger::Transaction& tx);
  // The same for a batch, in order, one result each: the batch's signatures are checked by
  // the application's verify_ahead workers on every core, and the first transactions are
  // admitted while the workers are still on the later ones.
  std::vector<ledger::TxResult> submit_batch(std::span<const ledger::Transaction> txs);

  // Registers each configured pile not yet on the ledger, owned by this gateway's key, at the
  // geohash cell `location` (nothing when none is configured), with `address` sealed to this
  // gateway's key.
  void register_own_piles(const std::vector<std::string>& pile_ids, const std::string& location,
                          const std::string& address);

  // Called after each committed block, on the event loop.
  void set_block_listener(std::function<void(ledger::Height)> listener) {
    on_block_ = std::move(listener);
  }

  // The clock for block times and for the time rules of admission: the wall clock unless
  // replaced (tests run a neighbourhood's day in a moment).
  void set_clock(std::function<std::int64_t()> clock) { clock_ = std::move(clock); }
  std::int64_t now_ms() const;

  ledger::LedgerNode& node() { return *node_; }
  std::uint64_t blocks_made() const { return blocks_made_; }

 private:
  void schedule_block();
  void make_block(bool allow_empty);
  void arm_idle_timer();

  boost::asio::io_context& io_;
  config::LedgerSection config_;
  std::unique_ptr<ledger::LedgerNode> node_;
  boost::asio::steady_timer block_timer_;
  boost::asio::steady_timer idle_timer_;
  bool block_pending_ = false;
  bool stopped_ = true;
  std::uint64_t blocks_made_ = 0;
  std::function<void(ledger::Height)> on_block_;
  std::function<std::int64_t()> clock_;
};

}  // namespace pilemesh::gateway
