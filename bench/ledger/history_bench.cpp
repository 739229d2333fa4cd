// history() against the length of the chain: a pile's 50 evaluations spread over a chain of
// 10^4 and of 10^6 transactions. Following back-pointers, its cost should depend on the 50
// records, not on the chain around them.
#include <algorithm>
#include <cstdio>
#include <future>
#include <stdexcept>
#include <utility>

#include "bench_node.hpp"
#include "benches.hpp"
#include "pilemesh/ledger/history.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger::bench {
namespace {

constexpr std::size_t kEvaluations = 50;
// The pile is registered, then charged at and rated 50 times in turn: 101 records, each in a
// block of its own of kPileBlockTxs transactions in both chains, because a record's Merkle
// proof costs as much as its block is large. The rest of the chain lies between them in
// blocks of up to kMaxTxsPerBlock transfers.
constexpr std::size_t kPileRecords = 1 + 2 * kEvaluations;
constexpr std::size_t kPileBlockTxs = 99;
constexpr int kRuns = 201;
const std::string kPile = "bench-pile";

// Transaction counts of the blocks of a chain of `total` transactions: a pile block (true)
// after every gap of filler-only blocks (false).
std::vector<std::pair<bool, std::size_t>> plan_blocks(std::size_t total) {
  const std::size_t in_pile_blocks = kPileRecords * kPileBlockTxs;
  if (total < in_pile_blocks) throw std::invalid_argument("chain too short");
  const std::size_t gaps = kPileRecords - 1, rest = total - in_pile_blocks;
  std::vector<std::pair<bool, std::size_t>> plan;
  for (std::size_t p = 0; p < kPileRecords; ++p) {
    plan.emplace_back(true, kPileBlockTxs);
    if (p == gaps) break;
    for (std::size_t gap = rest / gaps + (p < rest % gaps ? 1 : 0); gap > 0;) {
      const std::size_t n = std::min(gap, kMaxTxsPerBlock);
      plan.emplace_back(false, n);
      gap -= n;
    }
  }
  return plan;
}

// Signs the filler transfers of one block after another, on the second core while the first
// builds the previous block.
class Filler {
 public:
  Filler() : keys_(make_accounts(kMaxTxsPerBlock, 3)), nonces_(keys_.size(), 0) {}
  std::vector<const KeyPair*> accounts() const {
    std::vector<const KeyPair*> out;
    for (const KeyPair& k : keys_) out.push_back(&k);
    return out;
  }
  std::vector<Transaction> block(std::size_t n) {
    std::vector<Transaction> txs;
    txs.reserve(n);
    for (std::size_t j = 0; j < n; ++j) {
      txs.push_back(
          transfer(keys_[j], ++nonces_[j], keys_[(j + 1) % keys_.size()].public_key(), 1));
    }
    return txs;
  }

 private:
  std::vector<KeyPair> keys_;
  std::vector<std::uint64_t> nonces_;
};

// The pile's record number `n`: its registration, then in turn a charging record and the
// rating of that charging record, with pointers from the committed state.
Transaction pile_tx(const Node& node, std::size_t n, const KeyPair& owner, const KeyPair& ev,
                    Hash& last_charge) {
  if (n == 0)
    return sign_tx(owner, TxType::kRegisterPile, 1,
                   encode_service(PileSpecPayload{kPile, always_available_spec("u33dc1", 11000)}));
  const auto pile = node.app.pile(kPile).value();
  const auto ev_account = node.app.account(ev.public_key()).value_or(AccountRecord{});
  if (n % 2 == 1) {
    ChargingRecordPayload c{
        kPile, ev.public_key(), 7000, 0, 3'600'000, pile.last_charging, ev_account.last_charging};
    Transaction tx = sign_tx(owner, TxType::kChargingRecord, 1 + (n + 1) / 2, encode(c));
    last_charge = hash_of(tx);
    return tx;
  }
  EvaluationPayload e{kPile, last_charge, 3, pile.last_evaluation, ev_account.last_evaluation};
  return sign_tx(ev, TxType::kEvaluation, n / 2, encode(e));
}

}  // namespace

double history_ms(const BenchDir& dir, std::size_t total_txs) {
  const KeyPair validator = make_accounts(1, 9).front();
  const auto people = make_accounts(2, 4);
  const KeyPair& owner = people[0];
  const KeyPair& ev = people[1];
  const auto plan = plan_blocks(total_txs);
  Filler filler;
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
  auto fill = [&filler, &plan](std::size_t b) {
    return filler.block(plan[b].second - (plan[b].first ? 1 : 0));
  };
  auto next = std::async(std::launch::async, fill, 0);
  Hash last_charge;
  std::size_t committed = 0, record = 0;
  for (std::size_t b = 0; b < plan.size(); ++b) {
    std::vector<Transaction> txs = next.get();
    if (b + 1 < plan.size()) next = std::async(std::launch::async, fill, b + 1);
    if (plan[b].first) txs.insert(txs.begin(), pile_tx(node, record++, owner, ev, last_charge));
    for (const Transaction& tx : txs) {
      if (const TxResult r = node.engine.submit(tx); !r.ok())
        throw std::runtime_error("submit: " + r.log);
    }
    node.produce();
    committed += txs.size();
    if (node.mempool.size() != 0) throw std::runtime_error("a block left transactions waiting");
  }
  const auto pile = node.app.pile(kPile).value();
  if (pile.evaluation_count != kEvaluations || committed != total_txs) {
    throw std::runtime_error("the chain is not as planned");
  }
  std::printf("history: built %zu transactions in %zu blocks in %.1f s\n", committed, plan.size(),
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
