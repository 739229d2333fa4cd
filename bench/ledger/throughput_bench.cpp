// Signature verification against transaction throughput: how close the engine gets to the
// bound one core's Ed25519 verifications set, and what a durable block commit costs.
#include <cstdio>
#include <stdexcept>

#include "bench_node.hpp"
#include "benches.hpp"

namespace pilemesh::ledger::bench {
namespace {

constexpr std::size_t kBlockTxs = 500;
constexpr std::size_t kAccounts = 10000;
constexpr std::size_t kApplyTxs = 30000;
constexpr double kVerifySeconds = 2.0;

}  // namespace

double verify_per_second() {
  const auto keys = make_accounts(256, 1);
  const PublicKey to = keys.front().public_key();
  std::vector<Transaction> txs;
  std::vector<Bytes> messages;
  for (std::size_t i = 0; i < 2048; ++i) {
    txs.push_back(transfer(keys[i % keys.size()], 1 + i / keys.size(), to, 1));
    messages.push_back(signing_bytes(txs.back()));
  }
  std::size_t done = 0, good = 0;
  const auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < kVerifySeconds) {
    for (std::size_t i = 0; i < txs.size(); ++i)
      good += verify(txs[i].signer, messages[i], txs[i].signature) ? 1 : 0;
    done += txs.size();
    elapsed = seconds_since(start);
  }
  if (good != done) throw std::runtime_error("a pre-signed signature did not verify");
  return static_cast<double>(done) / elapsed;
}

ApplyFigures apply_per_second(const BenchDir& dir, unsigned verify_threads,
                              const std::string& name) {
  const KeyPair validator = make_accounts(1, 9).front();
  const auto keys = make_accounts(kAccounts, 2);
  std::vector<const KeyPair*> funded;
  for (const KeyPair& k : keys) funded.push_back(&k);
  Node node(dir.path() / (name + ".db"), validator, make_genesis(validator, funded), SoloOptions{},
            MempoolOptions{});

  // Signed beforehand: signing is the clients' work, not the node's. Each block's 500 senders
  // are distinct accounts, so no transaction waits for another's nonce.
  std::vector<Transaction> txs;
  txs.reserve(kApplyTxs);
  for (std::size_t i = 0; i < kApplyTxs; ++i) {
    const std::size_t from = i % kAccounts;
    txs.push_back(
        transfer(keys[from], 1 + i / kAccounts, keys[(from + 1) % kAccounts].public_key(), 1));
  }

  ApplyFigures out;
  std::vector<double> produce_ms;
  double submit_s = 0;
  // With more than one thread, signatures are checked by LedgerApp's verify_ahead workers as
  // transactions arrive, kBlocksAhead blocks' worth ahead of the engine, while it admits and
  // commits earlier ones (as LedgerService::submit_batch does); check_tx takes each outcome.
  constexpr std::size_t kBlocksAhead = 2;
  if (verify_threads > 1) node.app.set_verify_threads(verify_threads);
  auto arrive = [&](std::size_t block) {
    if (verify_threads > 1 && block * kBlockTxs < txs.size())
      node.app.verify_ahead(std::span(txs).subspan(block * kBlockTxs, kBlockTxs));
  };
  const auto start = Clock::now();
  for (std::size_t b = 0; b < kBlocksAhead; ++b) arrive(b);
  for (std::size_t i = 0; i < txs.size(); i += kBlockTxs) {
    const auto block_start = Clock::now();
    arrive(i / kBlockTxs + kBlocksAhead);
    for (std::size_t j = i; j < i + kBlockTxs; ++j) {
      if (const TxResult r = node.engine.submit(txs[j]); !r.ok())
        throw std::runtime_error("submit: " + r.log);
    }
    const auto produce_start = Clock::now();
    submit_s += std::chrono::duration<double>(produce_start - block_start).count();
    node.produce();
    produce_ms.push_back(seconds_since(produce_start) * 1000);
  }
  const double elapsed = seconds_since(start);
  if (node.engine.height() != kApplyTxs / kBlockTxs || node.mempool.size() != 0)
    throw std::runtime_error("not all committed");
  out.txs_per_second = static_cast<double>(kApplyTxs) / elapsed;
  out.produce_ms_median = median(produce_ms);
  // Where the time goes: submit is check_tx (the one signature check) and the mempool,
  // produce is execution, the state root, storing the block and the durable commit.
  std::printf(
      "apply (%u signature threads): %zu transfers in %zu blocks of %zu in %.2f s: submit %.2f s, "
      "produce %.2f s\n",
      verify_threads, kApplyTxs, kApplyTxs / kBlockTxs, kBlockTxs, elapsed, submit_s,
      elapsed - submit_s);
  return out;
}

}  // namespace pilemesh::ledger::bench
