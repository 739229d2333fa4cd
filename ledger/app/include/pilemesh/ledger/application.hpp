// The one door between a consensus engine and the ledger application, in the manner of ABCI:
// the engine orders and commits blocks; the application checks and executes transactions.
// The solo engine drives it now, the BFT engine will drive the same interface, and a toy
// application in the tests proves that the engines depend on nothing else.
//
// Determinism (docs/ledger.md): every method is a pure function of the committed state and its
// arguments. No wall clock (block time comes in BlockContext), no floating point, no iteration
// over unordered containers into anything hashed, no host-dependent sizes or endianness.
// Replaying the chain from genesis gives the same state root at every height.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/result.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::ledger {

// What execution may know about the block: never the local clock.
struct BlockContext {
  std::string chain_id;
  Height height = 0;
  std::int64_t time_ms = 0;
  PublicKey proposer;
};

struct AppInfo {
  Height height = 0;  // last committed height
  Hash state_root;    // state root after it
};

struct FinalizeResult {
  std::vector<TxResult> results;  // one per transaction, in order
  Hash state_root;                // after executing them all
};

struct QueryResult {
  TxCode code = TxCode::kOk;
  std::string log;
  Bytes value;  // the answer, in the application's own encoding
};

class Application {
 public:
  virtual ~Application() = default;

  virtual AppInfo info() const = 0;

  // Sets up the state of height 0 from the genesis; returns its state root. Called once, on an
  // empty store, inside the engine's storage transaction.
  virtual Hash init_chain(const Genesis& genesis) = 0;

  // Decides whether a new transaction may enter the mempool, against the committed state:
  // signature, chain id, type, payload, nonce (given the account's transactions already
  // waiting, `pending_for_signer`, so that a sender can queue several in nonce order).
  virtual TxResult check_tx(const Transaction& tx, std::uint64_t pending_for_signer) const = 0;

  // Chooses and orders the transactions of a block this node proposes from mempool
  // candidates (in mempool order), within `max_bytes`.
  virtual std::vector<Transaction> prepare_proposal(const BlockContext& context,
                                                    std::vector<Transaction> candidates,
                                                    std::size_t max_bytes) = 0;

  // Validates a block proposed by another node before voting for it.
  virtual bool process_proposal(const Block& block) = 0;

  // Executes a block's transactions against the state. Called with the engine's storage
  // transaction open: the writes are part of the block's atomic commit. A transaction that fails
  // is recorded with its reason and changes nothing; the block itself is still valid.
  virtual FinalizeResult finalize_block(const BlockContext& context,
                                        std::span<const Transaction> txs) = 0;

  // The storage transaction committed (true) or rolled back (false): drop in-memory caches of
  // uncommitted state accordingly.
  virtual void commit(bool committed) = 0;

  // Read-only queries of the committed state ("account/<hex key>", "pile/<id>", ...).
  virtual QueryResult query(std::string_view path) const = 0;
};

}  // namespace pilemesh::ledger
