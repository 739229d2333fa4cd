// The ledger application: accounts with nonces and wallets, the bare charging and evaluation
// records whose back-pointers make a pile's history walkable, and the sharing service's
// contracts (contracts.hpp: members, piles, tariffs, bookings, payments, sessions, ratings),
// all behind the one Application interface.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>

#include "pilemesh/ledger/application.hpp"
#include "pilemesh/ledger/payloads.hpp"
#include "pilemesh/ledger/signature_verifier.hpp"
#include "pilemesh/ledger/state_store.hpp"

namespace pilemesh::ledger {

class StateOverlay;

class LedgerApp final : public Application {
 public:
  // `state` is the ledger store's state; it must outlive the application.
  explicit LedgerApp(StateStore& state);

  AppInfo info() const override;
  Hash init_chain(const Genesis& genesis) override;
  TxResult check_tx(const Transaction& tx, std::uint64_t pending_for_signer) const override;
  std::vector<Transaction> prepare_proposal(const BlockContext& context,
                                            std::vector<Transaction> candidates,
                                            std::size_t max_bytes) override;
  bool process_proposal(const Block& block) override;
  FinalizeResult finalize_block(const BlockContext& context,
                                std::span<const Transaction> txs) override;
  void commit(bool committed) override;
  QueryResult query(std::string_view path) const override;

  // Verifies the signatures of a batch of incoming transactions on `threads` threads and
  // remembers the good ones, so that check_tx and finalize_block need not verify them again.
  // Signature checks bound the ledger's throughput; this spreads them over the cores for
  // batches that arrive together (API uploads, later gossip from peers).
  void preverify(std::span<const Transaction> txs, unsigned threads) const;

  // The time check_tx judges time rules by (a session may start, a no-show may be marked):
  // the later of the last block's time and this hint, the node's clock when it admits a
  // transaction. Blocks are executed at their own time only: the hint never reaches state.
  void set_check_time(std::int64_t now_ms) { check_time_ms_ = now_ms; }

  // Starts `threads` signature workers for verify_ahead (0: none, the default).
  void set_verify_threads(unsigned threads);
  // Queues the signature checks of transactions that are about to be submitted on the
  // workers and returns at once: they run while this thread goes on (committing a block,
  // admitting earlier transactions), and check_tx takes their outcome instead of verifying
  // again. Without workers, does nothing (check_tx verifies).
  void verify_ahead(std::span<const Transaction> txs) const;

  const std::string& chain_id() const { return chain_id_; }
  std::optional<AccountRecord> account(const PublicKey& key) const;
  std::optional<PileRecord> pile(std::string_view pile_id) const;

 private:
  TxResult check_envelope(const Transaction& tx, const Hash& hash) const;
  TxResult execute(const Transaction& tx, const Hash& hash, std::int64_t time_ms,
                   StateOverlay& state) const;
  std::int64_t last_block_time(const StateOverlay& state) const;

  StateStore& state_;
  std::string chain_id_;
  ServiceParams params_;  // the genesis's rules of the sharing service
  std::int64_t check_time_ms_ = 0;
  // Hashes of transactions whose signature check_tx already verified: a transaction's
  // signature is checked once on its way through the mempool, not again in the block.
  mutable std::set<Hash> verified_;
  std::unique_ptr<SignatureVerifier> verifier_;
};

}  // namespace pilemesh::ledger
