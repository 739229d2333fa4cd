// Determinism: a chain built from seeded random traffic, replayed from genesis into a fresh
// store by a fresh application, gives the same state root at every height; a tampered block is
// caught at its height.
#include "pilemesh/ledger/replay.hpp"

#include <gtest/gtest.h>

#include <random>

#include "ledger_fixture.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger {
namespace {

using pilemesh::test::TempDir;
using test::kChain;
using test::key_from;
using test::Node;
using test::signed_tx;

// Random transfers, pile registrations, charging records and evaluations among a few
// accounts, including some that fail (overdrafts, stale pointers).
void build_random_chain(Node& node, const std::vector<KeyPair>& keys, int blocks,
                        std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::map<PublicKey, std::uint64_t> nonce;
  auto next = [&](const KeyPair& k) { return ++nonce[k.public_key()]; };
  std::vector<Hash> charges;
  for (int b = 0; b < blocks; ++b) {
    const int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      const KeyPair& from = keys[rng() % keys.size()];
      const KeyPair& to = keys[rng() % keys.size()];
      Transaction tx;
      switch (rng() % 4) {
        case 0:
          tx = signed_tx(from, kChain, TxType::kRegisterPile, next(from),
                         encode_service(PileSpecPayload{"pile-" + std::to_string(rng() % 5),
                                                        always_available_spec("u33dc1", 11000)}));
          break;
        case 1: {
          const std::string pile = "pile-" + std::to_string(rng() % 5);
          const auto p = node.app.pile(pile);
          const auto ev = node.app.account(to.public_key());
          ChargingRecordPayload c{pile,
                                  to.public_key(),
                                  rng() % 50000,
                                  0,
                                  1000,
                                  p ? p->last_charging : Hash{},
                                  ev ? ev->last_charging : Hash{}};
          tx = signed_tx(from, kChain, TxType::kChargingRecord, next(from), encode(c));
          charges.push_back(hash_of(tx));
          break;
        }
        case 2: {
          const Hash target = charges.empty() ? Hash{} : charges[rng() % charges.size()];
          const auto ev = node.app.account(from.public_key());
          EvaluationPayload e{"pile-" + std::to_string(rng() % 5), target,
                              static_cast<std::uint8_t>(1 + rng() % 3), Hash{},
                              ev ? ev->last_evaluation : Hash{}};
          if (const auto p = node.app.pile(e.pile_id)) e.prev_pile_evaluation = p->last_evaluation;
          tx = signed_tx(from, kChain, TxType::kEvaluation, next(from), encode(e));
          break;
        }
        default:
          tx = signed_tx(from, kChain, TxType::kTransfer, next(from),
                         encode(TransferPayload{to.public_key(), rng() % 400000}));
      }
      // Transactions the mempool refuses do not use up their nonce.
      if (!node.engine.submit(tx).ok()) --nonce[from.public_key()];
    }
    node.engine.produce(test::kGenesisMs + 1000 * (b + 1), /*allow_empty=*/true);
    // Nonces of transactions that failed in the block were used up; ones still waiting are not.
    for (auto& k : keys)
      nonce[k.public_key()] = node.app.account(k.public_key()).value_or(AccountRecord{}).nonce;
  }
}

TEST(Replay, AReplayedChainReachesTheSameStateRootAtEveryHeight) {
  TempDir dir;
  const KeyPair validator = key_from(9);
  std::vector<KeyPair> keys;
  std::vector<PublicKey> funded;
  for (std::uint8_t i = 10; i < 16; ++i) {
    keys.push_back(key_from(i));
    funded.push_back(keys.back().public_key());
  }
  Node node(dir.path() / "a.db", validator, funded);
  build_random_chain(node, keys, 40, 1234);
  ASSERT_EQ(node.engine.height(), 40u);

  LedgerStore fresh = LedgerStore::open(dir.path() / "b.db");
  LedgerApp app(fresh.state());
  std::vector<Height> seen;
  const ReplayReport report = replay_chain(node.store.blocks(), node.genesis, fresh, app,
                                           [&](Height h, Height) { seen.push_back(h); });
  EXPECT_TRUE(report.ok()) << "height " << report.bad_height << ": " << report.reason;
  EXPECT_EQ(report.checked, 40u);
  EXPECT_EQ(seen.size(), 40u);
  for (Height h = 1; h <= 40; ++h) {
    EXPECT_EQ(fresh.blocks().block_hash(h), node.store.blocks().block_hash(h)) << h;
  }
  EXPECT_EQ(fresh.state().root(), node.store.state().root());
}

TEST(Replay, ATamperedBlockIsCaughtAtItsHeight) {
  TempDir dir;
  const KeyPair validator = key_from(9);
  std::vector<KeyPair> keys{key_from(20), key_from(21)};
  {
    Node node(dir.path() / "a.db", validator, {keys[0].public_key(), keys[1].public_key()});
    build_random_chain(node, keys, 12, 99);
  }
  // Change the last byte (of the signature) of the first stored transaction from block 7 on,
  // as a disk error or an attacker would.
  Height bad = 0;
  {
    auto db = store::Database::open(dir.path() / "a.db");
    auto q = db.prepare("SELECT min(height) FROM txs WHERE height >= 7;");
    ASSERT_TRUE(q.step());
    bad = static_cast<Height>(q.column_int(0));
    ASSERT_GE(bad, 7u);
    db.prepare(
          "UPDATE txs SET bytes = substr(bytes, 1, length(bytes) - 1) || "
          "CASE WHEN substr(bytes, -1) = x'00' THEN x'01' ELSE x'00' END "
          "WHERE height = ? AND idx = 0;")
        .bind(1, static_cast<std::int64_t>(bad))
        .run();
  }
  LedgerStore tampered = LedgerStore::open(dir.path() / "a.db");
  Genesis genesis;
  genesis.chain_id = kChain;
  genesis.time_ms = test::kGenesisMs;
  genesis.validators = {validator.public_key()};
  for (const auto& k : keys) genesis.accounts.push_back({k.public_key(), 1'000'000});
  std::sort(genesis.accounts.begin(), genesis.accounts.end(),
            [](const auto& a, const auto& b) { return a.key < b.key; });
  for (const auto& a : genesis.accounts) genesis.members.push_back({a.key, Role::kAdmin});
  LedgerStore fresh = LedgerStore::open(dir.path() / "b.db");
  LedgerApp app(fresh.state());
  const ReplayReport report = replay_chain(tampered.blocks(), genesis, fresh, app);
  EXPECT_EQ(report.bad_height, bad) << report.reason;
  EXPECT_EQ(report.checked, bad - 1);
}

}  // namespace
}  // namespace pilemesh::ledger
