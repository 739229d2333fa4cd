// The process the crash test kills: a ledger node on a data directory that commits block after
// block of real traffic (transfers, pile registrations, charging records, evaluations) and
// reports each commit as `committed <height> <state root hex>` once produce() has returned.
// Started again on the same directory, it continues from the height it finds there.
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "crash_genesis.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_node.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger::crash {
namespace {

// Writes genesis.json before the node's first start, through a rename so that a kill during
// the write never leaves half a file behind.
void write_genesis_once(const std::filesystem::path& dir) {
  const auto file = dir / "genesis.json";
  if (std::filesystem::exists(file)) return;
  const KeyPair node_key = KeyPair::load_or_create(dir / "node.key");
  const auto tmp = dir / "genesis.json.tmp";
  std::ofstream(tmp) << genesis_to_json(crash_genesis(node_key.public_key()));
  std::filesystem::rename(tmp, file);
}

// A charging record committed in this run, not rated yet.
struct Charge {
  Hash tx;
  std::size_t pile_owner = 0;
  std::size_t ev = 0;
};

class Traffic {
 public:
  Traffic(LedgerNode& node, std::uint32_t seed)
      : node_(node), rng_(seed), accounts_(crash_accounts()) {}

  // Submits a few transactions against the committed state; returns how many were admitted.
  int submit_some() {
    submitted_.assign(accounts_.size(), 0);
    rated_piles_.clear();
    std::vector<Charge> made;
    int admitted = 0;
    const int n = 1 + static_cast<int>(rng_() % 6);
    for (int i = 0; i < n; ++i) {
      const std::size_t from = rng_() % accounts_.size();
      Transaction tx = make(from, made);
      if (node_.engine().submit(tx).ok()) {
        ++submitted_[signer_];
        ++admitted;
        if (tx.type == TxType::kChargingRecord) made.push_back(pending_charge_);
        if (tx.type == TxType::kEvaluation) {
          rated_piles_.insert(charges_[rated_].pile_owner);
          charges_.erase(charges_.begin() + static_cast<long>(rated_));
        }
      }
    }
    for (const Charge& c : made) charges_.push_back(c);
    return admitted;
  }

 private:
  std::uint64_t next_nonce(std::size_t who) {
    const auto a = node_.app().account(accounts_[who].public_key());
    return (a ? a->nonce : 0) + submitted_[who] + 1;
  }

  Transaction sign(std::size_t who, TxType type, Bytes payload) {
    signer_ = who;
    Transaction tx;
    tx.chain_id = node_.genesis().chain_id;
    tx.type = type;
    tx.signer = accounts_[who].public_key();
    tx.nonce = next_nonce(who);
    tx.payload = std::move(payload);
    tx.signature = accounts_[who].sign(signing_bytes(tx));
    return tx;
  }

  // The pile of account `owner`, one each.
  static std::string pile_of(std::size_t owner) { return "pile-" + std::to_string(owner); }

  Transaction make(std::size_t from, const std::vector<Charge>& made) {
    const std::size_t to = (from + 1 + rng_() % (accounts_.size() - 1)) % accounts_.size();
    const std::string pile = pile_of(from);
    const auto pile_record = node_.app().pile(pile);
    switch (rng_() % 4) {
      case 0:
        if (!pile_record)
          return sign(
              from, TxType::kRegisterPile,
              encode_service(PileSpecPayload{pile, always_available_spec("u33dc1", 11000)}));
        break;
      case 1: {
        // One charging record per pile and EV in a block: the pointers come from committed state.
        if (!pile_record || submitted_[from] != 0) break;
        for (const Charge& c : made)
          if (c.ev == to || c.pile_owner == from) return transfer(from, to);
        const auto ev = node_.app().account(accounts_[to].public_key());
        ChargingRecordPayload c{
            pile,    accounts_[to].public_key(), 1000 + rng_() % 50000,          0,
            3600000, pile_record->last_charging, ev ? ev->last_charging : Hash{}};
        Transaction tx = sign(from, TxType::kChargingRecord, encode(c));
        pending_charge_ = {hash_of(tx), from, to};
        return tx;
      }
      case 2: {
        // The EV rates a charging committed earlier, when its pile has no other rating waiting.
        if (charges_.empty() || submitted_[from] != 0) break;
        rated_ = rng_() % charges_.size();
        const Charge c = charges_[rated_];
        if (submitted_[c.ev] != 0 || rated_piles_.count(c.pile_owner) != 0) break;
        const auto p = node_.app().pile(pile_of(c.pile_owner));
        const auto ev = node_.app().account(accounts_[c.ev].public_key());
        EvaluationPayload e{pile_of(c.pile_owner), c.tx, static_cast<std::uint8_t>(1 + rng_() % 3),
                            p->last_evaluation, ev ? ev->last_evaluation : Hash{}};
        return sign(c.ev, TxType::kEvaluation, encode(e));
      }
      default:
        break;
    }
    return transfer(from, to);
  }

  Transaction transfer(std::size_t from, std::size_t to) {
    return sign(from, TxType::kTransfer,
                encode(TransferPayload{accounts_[to].public_key(), 1 + rng_() % 1000}));
  }

  LedgerNode& node_;
  std::mt19937 rng_;
  std::vector<KeyPair> accounts_;
  std::vector<std::uint64_t> submitted_;
  std::vector<Charge> charges_;
  std::set<std::size_t> rated_piles_;  // piles rated in this block: one rating each
  Charge pending_charge_;
  std::size_t rated_ = 0;
  std::size_t signer_ = 0;
};

}  // namespace
}  // namespace pilemesh::ledger::crash

int main(int argc, char** argv) {
  using namespace pilemesh::ledger;
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <data_dir> <seed>\n", argv[0]);
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    crash::write_genesis_once(dir);
    LedgerNodeOptions options;
    options.data_dir = dir;
    auto node = LedgerNode::open(options);
    std::printf("ready %llu\n", static_cast<unsigned long long>(node->engine().height()));
    std::fflush(stdout);
    crash::Traffic traffic(*node, static_cast<std::uint32_t>(std::stoul(argv[2])));
    for (;;) {
      traffic.submit_some();
      // Block time from the height, not the clock: the chain is the same at every run speed.
      const auto time_ms =
          node->genesis().time_ms + 1000 * static_cast<std::int64_t>(node->engine().height() + 1);
      const auto height = node->engine().produce(time_ms, /*allow_empty=*/true);
      const auto header = node->store().blocks().header(*height);
      std::printf("committed %llu %s\n", static_cast<unsigned long long>(*height),
                  header->state_root.hex().c_str());
      std::fflush(stdout);
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ledger_crash_child: %s\n", e.what());
    return 1;
  }
}
