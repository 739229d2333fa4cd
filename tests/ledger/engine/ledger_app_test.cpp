// The ledger application through the solo engine, on real SQLite files and real keys:
// envelopes (chain id, signature, nonce, type), transfers, piles, and the charging and
// evaluation records whose back-pointers the application checks.
#include <gtest/gtest.h>

#include "ledger_fixture.hpp"
#include "pilemesh/ledger/history.hpp"
#include "pilemesh/ledger/service_codec.hpp"

namespace pilemesh::ledger {
namespace {

using pilemesh::test::TempDir;
using test::kChain;
using test::key_from;
using test::Node;
using test::signed_tx;

class LedgerAppTest : public ::testing::Test {
 protected:
  LedgerAppTest()
      : validator(key_from(1)),
        owner(key_from(2)),
        ev(key_from(3)),
        other_ev(key_from(4)),
        node(dir.path() / "ledger.db", validator, {owner.public_key(), ev.public_key()}) {}

  std::uint64_t next_nonce(const KeyPair& k) {
    auto a = node.app.account(k.public_key());
    return (a ? a->nonce : 0) + 1 + pending[k.public_key()];
  }
  TxResult submit(const KeyPair& k, TxType type, Bytes payload) {
    const Transaction tx = signed_tx(k, kChain, type, next_nonce(k), std::move(payload));
    TxResult r = node.engine.submit(tx);
    if (r.ok()) ++pending[k.public_key()];
    last_hash = hash_of(tx);
    return r;
  }
  Height commit() {
    pending.clear();
    return node.engine
        .produce(test::kGenesisMs + 1000 * static_cast<std::int64_t>(node.engine.height() + 1))
        .value();
  }
  TxResult result_of(const Hash& h) { return node.store.blocks().tx(h).value().result; }

  Hash charge(std::uint64_t wh, const KeyPair& car) {
    const auto pile = node.app.pile("drive").value();
    const auto account = node.app.account(car.public_key()).value_or(AccountRecord{});
    ChargingRecordPayload p{
        "drive", car.public_key(), wh, 0, 60000, pile.last_charging, account.last_charging};
    EXPECT_TRUE(submit(owner, TxType::kChargingRecord, encode(p)).ok());
    const Hash h = last_hash;
    commit();
    EXPECT_TRUE(result_of(h).ok()) << result_of(h).log;
    return h;
  }

  TempDir dir;
  KeyPair validator, owner, ev, other_ev;
  Node node;
  std::map<PublicKey, std::uint64_t> pending;
  Hash last_hash;
};

TEST_F(LedgerAppTest, GenesisFundsAccountsAndSetsTheStateRoot) {
  EXPECT_EQ(node.app.account(owner.public_key())->balance, 1'000'000u);
  EXPECT_EQ(node.app.info().height, 0u);
  EXPECT_FALSE(node.app.info().state_root.is_zero());
  EXPECT_FALSE(node.engine.produce(test::kGenesisMs + 1000).has_value())
      << "no transactions, no block";
  EXPECT_EQ(node.engine.produce(test::kGenesisMs + 1000, /*allow_empty=*/true), 1u);
}

TEST_F(LedgerAppTest, TransfersMoveMoneyAndConserveIt) {
  ASSERT_TRUE(
      submit(owner, TxType::kTransfer, encode(TransferPayload{ev.public_key(), 2500})).ok());
  ASSERT_TRUE(
      submit(owner, TxType::kTransfer, encode(TransferPayload{other_ev.public_key(), 500})).ok());
  EXPECT_EQ(commit(), 1u);
  EXPECT_EQ(node.app.account(owner.public_key())->balance, 997'000u);
  EXPECT_EQ(node.app.account(ev.public_key())->balance, 1'002'500u);
  EXPECT_EQ(node.app.account(other_ev.public_key())->balance, 500u);
  EXPECT_EQ(node.app.account(owner.public_key())->nonce, 2u);
  const auto r = submit(other_ev, TxType::kTransfer, encode(TransferPayload{ev.public_key(), 501}));
  EXPECT_EQ(r.code, TxCode::kInsufficientFunds) << r.log;
}

TEST_F(LedgerAppTest, EnvelopeProblemsAreRefusedWithTheirReason) {
  const Bytes payload = encode(TransferPayload{ev.public_key(), 1});
  auto wrong_chain = signed_tx(owner, "another-chain", TxType::kTransfer, 1, payload);
  EXPECT_EQ(node.engine.submit(wrong_chain).code, TxCode::kWrongChain);

  auto tampered = signed_tx(owner, kChain, TxType::kTransfer, 1, payload);
  tampered.payload = encode(TransferPayload{ev.public_key(), 999});
  EXPECT_EQ(node.engine.submit(tampered).code, TxCode::kBadSignature);

  auto unknown = signed_tx(owner, kChain, static_cast<TxType>(999), 1, payload);
  EXPECT_EQ(node.engine.submit(unknown).code, TxCode::kUnknownType);

  auto skipped = signed_tx(owner, kChain, TxType::kTransfer, 2, payload);
  const auto gap = node.engine.submit(skipped);
  EXPECT_EQ(gap.code, TxCode::kBadNonce);
  EXPECT_NE(gap.log.find("next nonce is 1"), std::string::npos) << gap.log;

  auto good = signed_tx(owner, kChain, TxType::kTransfer, 1, payload);
  ASSERT_TRUE(node.engine.submit(good).ok());
  EXPECT_EQ(node.engine.submit(good).code, TxCode::kDuplicate);
  commit();
  const auto replay = node.engine.submit(good);
  EXPECT_EQ(replay.code, TxCode::kBadNonce);
  EXPECT_NE(replay.log.find("replayed"), std::string::npos) << replay.log;

  auto bad_payload = signed_tx(owner, kChain, TxType::kTransfer, 2, Bytes{1, 2, 3});
  EXPECT_EQ(node.engine.submit(bad_payload).code, TxCode::kInvalidPayload);
}

TEST_F(LedgerAppTest, ChargingAndEvaluationPointersAreCheckedAgainstState) {
  ASSERT_TRUE(
      submit(owner, TxType::kRegisterPile,
             encode_service(PileSpecPayload{"drive", always_available_spec("u33dc1", 11000)}))
          .ok());
  commit();
  EXPECT_EQ(submit(owner, TxType::kRegisterPile,
                   encode_service(PileSpecPayload{"drive", always_available_spec("u33dc1", 11000)}))
                .code,
            TxCode::kConflict);
  pending.clear();

  const Hash first = charge(7000, ev);
  const Hash second = charge(12000, ev);
  EXPECT_EQ(node.app.pile("drive")->last_charging, second);

  // A forged pile pointer: claims the pile's previous record is the first one.
  ChargingRecordPayload stale{"drive", ev.public_key(), 1, 0, 1, first, second};
  const auto forged = submit(owner, TxType::kChargingRecord, encode(stale));
  EXPECT_EQ(forged.code, TxCode::kForgedPointer);
  EXPECT_NE(forged.log.find("prev_pile_charging"), std::string::npos) << forged.log;

  // Only the pile's owner records its charging.
  ChargingRecordPayload intruder{"drive", ev.public_key(), 1, 0, 1, second, second};
  EXPECT_EQ(submit(ev, TxType::kChargingRecord, encode(intruder)).code, TxCode::kUnauthorized);

  // Rating: by the EV that charged, once, pointing at the right records.
  EvaluationPayload rate{"drive", second, 3, Hash{}, Hash{}};
  EXPECT_EQ(submit(other_ev, TxType::kEvaluation, encode(rate)).code, TxCode::kUnauthorized);
  pending.clear();
  ASSERT_TRUE(submit(ev, TxType::kEvaluation, encode(rate)).ok());
  const Hash evaluation = last_hash;
  commit();
  ASSERT_TRUE(result_of(evaluation).ok()) << result_of(evaluation).log;
  EXPECT_EQ(submit(ev, TxType::kEvaluation,
                   encode(EvaluationPayload{"drive", second, 2, evaluation, evaluation}))
                .code,
            TxCode::kConflict);
  pending.clear();
  EvaluationPayload wrong_target{"drive", Hash{}, 2, evaluation, evaluation};
  EXPECT_EQ(submit(ev, TxType::kEvaluation, encode(wrong_target)).code, TxCode::kForgedPointer);
}

TEST_F(LedgerAppTest, HistoryFollowsPointersWithVerifiableProofs) {
  ASSERT_TRUE(
      submit(owner, TxType::kRegisterPile,
             encode_service(PileSpecPayload{"drive", always_available_spec("u33dc1", 11000)}))
          .ok());
  commit();
  std::vector<Hash> charges;
  for (int i = 0; i < 5; ++i) charges.push_back(charge(1000 + i, i % 2 ? ev : other_ev));
  // Unrelated traffic between the records does not change the walk.
  ASSERT_TRUE(submit(ev, TxType::kTransfer, encode(TransferPayload{owner.public_key(), 1})).ok());
  commit();

  auto h = history(node.app, node.store.blocks(), "drive", Branch::kCharging, 10);
  ASSERT_EQ(h.size(), 5u);
  for (std::size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i].record.hash, charges[charges.size() - 1 - i]);
    EXPECT_TRUE(merkle_verify(h[i].record.hash, h[i].proof, h[i].tx_root));
    EXPECT_EQ(h[i].tx_root, node.store.blocks().header(h[i].record.height)->tx_root);
  }
  EXPECT_EQ(history(node.app, node.store.blocks(), "drive", Branch::kCharging, 2).size(), 2u);
  EXPECT_TRUE(history(node.app, node.store.blocks(), "drive", Branch::kEvaluation, 10).empty());
  EXPECT_TRUE(history(node.app, node.store.blocks(), "nowhere", Branch::kCharging, 10).empty());
}

TEST_F(LedgerAppTest, BlocksCarryBranchLinksPerKindOfRecord) {
  ASSERT_TRUE(
      submit(owner, TxType::kRegisterPile,
             encode_service(PileSpecPayload{"drive", always_available_spec("u33dc1", 11000)}))
          .ok());
  commit();         // 1: identity
  charge(500, ev);  // 2: charging
  ASSERT_TRUE(submit(owner, TxType::kTransfer, encode(TransferPayload{ev.public_key(), 5})).ok());
  commit();         // 3: market
  charge(600, ev);  // 4: charging, linked back to 2
  const auto& blocks = node.store.blocks();
  const auto h4 = blocks.header(4).value();
  ASSERT_EQ(h4.branches.size(), 1u);
  EXPECT_EQ(h4.branches[0].branch, Branch::kCharging);
  EXPECT_EQ(h4.branches[0].branch_height, 2u);
  EXPECT_EQ(h4.branches[0].prev_branch_block, blocks.block_hash(2).value());
  EXPECT_EQ(blocks.branch_chain(Branch::kCharging, 10), (std::vector<Height>{4, 2}));
  EXPECT_EQ(blocks.header(2)->branches[0].prev_branch_block, Hash{});
  EXPECT_EQ(blocks.verify_chain(), "");
}

TEST_F(LedgerAppTest, CommitsAreSignedByTheValidatorAndCarriedByTheNextBlock) {
  ASSERT_TRUE(submit(owner, TxType::kTransfer, encode(TransferPayload{ev.public_key(), 5})).ok());
  commit();
  ASSERT_TRUE(submit(owner, TxType::kTransfer, encode(TransferPayload{ev.public_key(), 5})).ok());
  commit();
  const auto& blocks = node.store.blocks();
  const Commit c1 = blocks.commit(1).value();
  EXPECT_EQ(c1.block_hash, blocks.block_hash(1).value());
  EXPECT_TRUE(verify_commit(kChain, c1, {validator.public_key()}));
  EXPECT_FALSE(verify_commit("other", c1, {validator.public_key()}));
  EXPECT_FALSE(verify_commit(kChain, c1, {owner.public_key()}));
  const Block b2 = blocks.block(2).value();
  EXPECT_EQ(b2.last_commit.block_hash, c1.block_hash);
  EXPECT_EQ(b2.header.last_commit_hash, hash_of(c1));
  EXPECT_GT(b2.header.time_ms, blocks.header(1)->time_ms);
}

TEST_F(LedgerAppTest, ParallelPreverificationNeverLetsABadSignatureThrough) {
  std::vector<Transaction> batch;
  for (std::uint64_t n = 1; n <= 40; ++n) {
    batch.push_back(signed_tx(owner, kChain, TxType::kTransfer, n,
                              encode(TransferPayload{ev.public_key(), 1})));
  }
  batch[17].signature.bytes[0] ^= 1;
  node.app.preverify(batch, 2);
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const TxResult r = node.engine.submit(batch[i]);
    if (i < 17) {
      EXPECT_TRUE(r.ok()) << i << ": " << r.log;
    } else if (i == 17) {
      EXPECT_EQ(r.code, TxCode::kBadSignature);
    } else {
      EXPECT_EQ(r.code, TxCode::kBadNonce) << "the queue stops at the bad one";
    }
  }
  EXPECT_EQ(commit(), 1u);
  EXPECT_EQ(node.app.account(owner.public_key())->nonce, 17u);
}

TEST_F(LedgerAppTest, VerifyAheadWorkersCheckSignaturesWhileTheEngineGoesOn) {
  node.app.set_verify_threads(2);
  std::vector<Transaction> batch;
  for (std::uint64_t n = 1; n <= 60; ++n) {
    batch.push_back(signed_tx(owner, kChain, TxType::kTransfer, n,
                              encode(TransferPayload{ev.public_key(), 1})));
  }
  batch[45].signature.bytes[0] ^= 1;
  // The first half queued on the workers (one of them twice), the rest checked by check_tx.
  node.app.verify_ahead(std::span(batch).first(30));
  node.app.verify_ahead(std::span(batch).subspan(10, 5));
  for (std::size_t i = 0; i < 20; ++i) EXPECT_TRUE(node.engine.submit(batch[i]).ok()) << i;
  EXPECT_EQ(commit(), 1u);
  // The second half queued while block 1 was made; the bad signature is still refused.
  node.app.verify_ahead(std::span(batch).subspan(30));
  for (std::size_t i = 20; i < batch.size(); ++i) {
    const TxResult r = node.engine.submit(batch[i]);
    if (i < 45) {
      EXPECT_TRUE(r.ok()) << i << ": " << r.log;
    } else if (i == 45) {
      EXPECT_EQ(r.code, TxCode::kBadSignature);
    } else {
      EXPECT_EQ(r.code, TxCode::kBadNonce);
    }
  }
  EXPECT_EQ(commit(), 2u);
  EXPECT_EQ(node.app.account(owner.public_key())->nonce, 45u);
}

TEST(SignatureVerifierTest, EachQueuedOutcomeIsTakenOnce) {
  const std::array<std::uint8_t, 32> seed{};
  const KeyPair key = KeyPair::from_seed(seed);
  std::vector<Transaction> txs(3);
  std::vector<Hash> hashes;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    txs[i].chain_id = "c";
    txs[i].signer = key.public_key();
    txs[i].nonce = i + 1;
    txs[i].signature = key.sign(signing_bytes(txs[i]));
    hashes.push_back(hash_of(txs[i]));
  }
  txs[1].signature.bytes[5] ^= 1;
  SignatureVerifier verifier(2);
  EXPECT_FALSE(verifier.take(hashes[0])) << "never queued";
  verifier.enqueue(txs, hashes);
  EXPECT_EQ(verifier.take(hashes[2]), std::optional<bool>(true));
  EXPECT_EQ(verifier.take(hashes[1]), std::optional<bool>(false));
  EXPECT_EQ(verifier.take(hashes[0]), std::optional<bool>(true));
  EXPECT_FALSE(verifier.take(hashes[0])) << "taken already";
}

}  // namespace
}  // namespace pilemesh::ledger
