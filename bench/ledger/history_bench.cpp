// history() against the length of the chain: a pile's 50 evaluations spread over a chain of
// 10^4 and of 10^6 transactions. Following back-pointers, its cost should depend on the 50
// records, not on the chain around them.
#include <cstdio>
#include <future>
#include <stdexcept>

#include "bench_node.hpp"
#include "benches.hpp"
#include "pilemesh/ledger/history.hpp"

namespace pilemesh::ledger::bench {
namespace {

constexpr std::size_t kEvaluations = 50;
// The pile is registered in block 1, then charged at in every other block and rated in the
// block after: 1 + 2 * 50 blocks, the rest of each block filled with transfers.
constexpr std::size_t kBlocks = 1 + 2 * kEvaluations;
constexpr int kRuns = 201;
const std::string kPile = "bench-pile";

// Signs the filler transfers of one block after another, on the second core while the first
// builds the previous block.
class Filler {
 public:
  explicit Filler(std::size_t total_fill)
      : total_(total_fill),
        keys_(make_accounts(total_fill / kBlocks + 1, 3)),
        nonces_(keys_.size(), 0) {}
  std::vector<const KeyPair*> accounts() const {
    std::vector<const KeyPair*> out;
    for (const KeyPair& k : keys_) out.push_back(&k);
    return out;
  }
  std::vector<Transaction> block(std::size_t b) {
    const std::size_t n = total_ / kBlocks + (b < total_ % kBlocks ? 1 : 0);
    std::vector<Transaction> txs;
    txs.reserve(n);
    for (std::size_t j = 0; j < n; ++j) {
      txs.push_back(
          transfer(keys_[j], ++nonces_[j], keys_[(j + 1) % keys_.size()].public_key(), 1));
    }
    return txs;
  }

 private:
  std::size_t total_;
  std::vector<KeyPair> keys_;
  std::vector<std::uint64_t> nonces_;
};

// The pile's own transaction for block b (0-based): its registration, a charging record or
// the rating of the previous block's charging record, with pointers from the committed state.
Transaction pile_tx(const Node& node, std::size_t b, const KeyPair& owner, const KeyPair& ev,
                    Hash& last_charge) {
  if (b == 0) return sign_tx(owner, TxType::kRegisterPile, 1, encode(RegisterPilePayload{kPile}));
  const auto pile = node.app.pile(kPile).value();
  const auto ev_account = node.app.account(ev.public_key()).value_or(AccountRecord{});
  if (b % 2 == 1) {
    ChargingRecordPayload c{
        kPile, ev.public_key(), 7000, 0, 3'600'000, pile.last_charging, ev_account.last_charging};
    Transaction tx = sign_tx(owner, TxType::kChargingRecord, 1 + (b + 1) / 2, encode(c));
    last_charge = hash_of(tx);
    return tx;
  }
  EvaluationPayload e{kPile, last_charge, 3, pile.last_evaluation, ev_account.last_evaluation};
  return sign_tx(ev, TxType::kEvaluation, b / 2, encode(e));
}

}  // namespace

double history_ms(const BenchDir& dir, std::size_t total_txs) {
  const KeyPair validator = make_accounts(1, 9).front();
  const auto people = make_accounts(2, 4);
  const KeyPair& owner = people[0];
  const KeyPair& ev = people[1];
  Filler filler(total_txs - kBlocks);
  auto funded = filler.accounts();
  funded.push_back(&owner);
  SoloOptions solo;
  solo.max_block_txs = kMaxTxsPerBlock;
  solo.max_block_bytes = 64 << 20;
  MempoolOptions pool;
  pool.max_txs = 2 * kMaxTxsPerBlock;
  pool.max_bytes = 128 << 20;
  Node node(dir.path() / ("history-" + std::to_string(total_txs) + ".db"), validator,
            make_genesis(validator, funded), solo, pool);

  const auto start = Clock::now();
  auto next = std::async(std::launch::async, [&] { return filler.block(0); });
  Hash last_charge;
  std::size_t committed = 0;
  for (std::size_t b = 0; b < kBlocks; ++b) {
    std::vector<Transaction> txs = next.get();
    if (b + 1 < kBlocks)
      next = std::async(std::launch::async, [&filler, b] { return filler.block(b + 1); });
    txs.insert(txs.begin(), pile_tx(node, b, owner, ev, last_charge));
    for (const Transaction& tx : txs) {
      if (const TxResult r = node.engine.submit(tx); !r.ok())
        throw std::runtime_error("submit: " + r.log);
    }
    node.produce();
    committed += txs.size();
    if (node.mempool.size() != 0) throw std::runtime_error("a block left transactions waiting");
  }
  const auto pile = node.app.pile(kPile).value();
  if (pile.evaluation_count != kEvaluations || committed != total_txs)
    throw std::runtime_error("the chain is not as planned");
  std::printf("history: built %zu transactions in %zu blocks in %.1f s\n", committed, kBlocks,
              seconds_since(start));

  std::vector<double> ms;
  for (int run = 0; run < kRuns; ++run) {
    const auto t = Clock::now();
    const auto records =
        history(node.app, node.store.blocks(), kPile, Branch::kEvaluation, kEvaluations);
    ms.push_back(seconds_since(t) * 1000);
    if (records.size() != kEvaluations) throw std::runtime_error("history is short");
  }
  return median(ms);
}

}  // namespace pilemesh::ledger::bench
