// Signature checks of incoming transactions on worker threads, ahead of the engine.
//
// Ed25519 verification bounds the ledger's throughput, and the engine's thread spends much of
// a block waiting on its durable commit. Transactions queued here are verified by the workers
// while the engine executes and commits the previous block; when check_tx reaches one it
// takes the outcome (waiting if a worker is still on it) instead of verifying again, so each
// signature is checked exactly once whichever thread does it.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::ledger {

class SignatureVerifier {
 public:
  // Starts `threads` workers (at least one).
  explicit SignatureVerifier(unsigned threads);
  ~SignatureVerifier();  // stops the workers; queued checks are dropped
  SignatureVerifier(const SignatureVerifier&) = delete;
  SignatureVerifier& operator=(const SignatureVerifier&) = delete;

  // Queues the signature checks of `txs`, whose ids (hash_of) are `hashes`; returns at once.
  // A transaction already queued or checked is not queued again.
  void enqueue(std::span<const Transaction> txs, std::span<const Hash> hashes);

  // Whether the signature of the queued transaction `hash` is good, waiting for its check if
  // needed, and forgets it. Nothing when it was never queued (or was taken already).
  std::optional<bool> take(const Hash& hash);

  unsigned threads() const { return static_cast<unsigned>(workers_.size()); }

 private:
  struct Job {
    Hash hash;
    PublicKey signer;
    Bytes message;  // signing_bytes(tx)
    Signature signature;
  };
  enum class Outcome { kPending, kGood, kBad };
  void work();

  std::mutex mutex_;
  std::condition_variable queued_;  // a job was queued, or stopping
  std::condition_variable done_;    // a job was finished
  std::deque<Job> jobs_;
  std::map<Hash, Outcome> outcomes_;  // queued, being checked, or checked and not yet taken
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace pilemesh::ledger
