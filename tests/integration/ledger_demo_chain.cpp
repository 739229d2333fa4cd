// ledger_demo_chain DATA_DIR BLOCKS: builds a small chain in DATA_DIR for the tests of
// `pilemesh ledger`, through the same LedgerNode the daemon uses, without running the daemon.
//
// The genesis funds two accounts, "owner" and "ev" (fixed seeds). Block 1 registers pile-1,
// owned by "owner"; every later block records a charging of the EV at pile-1, and from block 3
// on the EV rates the previous block's charging; every block also carries a transfer. Prints a
// JSON summary (heights and hashes) that the tests compare against.
#include <array>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_node.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace {

using namespace pilemesh::ledger;

constexpr std::int64_t kGenesisMs = 1'700'000'000'000;
constexpr const char* kPile = "pile-1";

KeyPair seeded(std::uint8_t n) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(n);
  return KeyPair::from_seed(seed);
}

class Sender {
 public:
  Sender(LedgerNode& node, const KeyPair& key) : node_(node), key_(key) {}
  void begin_block() {
    nonce_ = node_.app().account(key_.public_key()).value_or(AccountRecord{}).nonce;
  }
  Hash send(TxType type, Bytes payload) {
    Transaction tx;
    tx.chain_id = node_.genesis().chain_id;
    tx.type = type;
    tx.signer = key_.public_key();
    tx.nonce = ++nonce_;
    tx.payload = std::move(payload);
    tx.signature = key_.sign(signing_bytes(tx));
    if (const TxResult r = node_.engine().submit(tx); !r.ok()) {
      throw std::runtime_error("refused: " + std::string(to_string(r.code)) + ": " + r.log);
    }
    return hash_of(tx);
  }

 private:
  LedgerNode& node_;
  const KeyPair& key_;
  std::uint64_t nonce_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ledger_demo_chain DATA_DIR BLOCKS\n";
    return 2;
  }
  try {
    const std::filesystem::path dir = argv[1];
    const int blocks = std::stoi(argv[2]);
    std::filesystem::create_directories(dir);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
    const KeyPair node_key = KeyPair::load_or_create(dir / "node.key");
    const KeyPair owner = seeded(1), ev = seeded(2);

    Genesis genesis;
    genesis.chain_id = "demo-chain";
    genesis.time_ms = kGenesisMs;
    genesis.validators = {node_key.public_key()};
    genesis.accounts = {{owner.public_key(), 1'000'000}, {ev.public_key(), 1'000'000}};
    std::sort(genesis.accounts.begin(), genesis.accounts.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    genesis.members = {{owner.public_key(), Role::kAdmin}};
    if (!std::filesystem::exists(dir / "genesis.json")) {
      std::ofstream(dir / "genesis.json") << genesis_to_json(genesis);
    }

    LedgerNodeOptions options;
    options.data_dir = dir;
    auto node = LedgerNode::open(options);
    Sender by_owner(*node, owner), by_ev(*node, ev);
    nlohmann::json charging = nlohmann::json::array(), evaluations = nlohmann::json::array();
    Hash last_charge;
    for (int b = 1; b <= blocks; ++b) {
      by_owner.begin_block();
      by_ev.begin_block();
      if (b == 1) {
        by_owner.send(TxType::kRegisterPile, encode_service(PileSpecPayload{
                                                 kPile, always_available_spec("u33dc1", 11000)}));
      } else {
        const PileRecord pile = node->app().pile(kPile).value();
        const AccountRecord ev_account = node->app().account(ev.public_key()).value();
        if (b >= 3) {
          EvaluationPayload e{kPile, last_charge, static_cast<std::uint8_t>(1 + b % 3),
                              pile.last_evaluation, ev_account.last_evaluation};
          evaluations.push_back(
              {{"height", b}, {"hash", by_ev.send(TxType::kEvaluation, encode(e)).hex()}});
        }
        const std::int64_t started = kGenesisMs + b * 60'000;
        ChargingRecordPayload c{kPile,
                                ev.public_key(),
                                1000u * static_cast<unsigned>(b),
                                started,
                                started + 30'000,
                                pile.last_charging,
                                ev_account.last_charging};
        last_charge = by_owner.send(TxType::kChargingRecord, encode(c));
        charging.push_back({{"height", b}, {"hash", last_charge.hex()}});
      }
      by_owner.send(TxType::kTransfer, encode(TransferPayload{ev.public_key(), 100}));
      by_ev.send(TxType::kTransfer, encode(TransferPayload{owner.public_key(), 1}));
      if (!node->engine().produce(kGenesisMs + 1000 * b)) throw std::runtime_error("no block made");
    }
    std::cout << nlohmann::json{{"chain_id", genesis.chain_id},
                                {"height", node->engine().height()},
                                {"pile", kPile},
                                {"node_key", node_key.public_key().hex()},
                                {"owner", owner.public_key().hex()},
                                {"ev", ev.public_key().hex()},
                                {"charging", charging},
                                {"evaluations", evaluations}}
                     .dump(2)
              << "\n";
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "ledger_demo_chain: " << e.what() << "\n";
    return 1;
  }
}
