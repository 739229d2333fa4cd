// The solo engine with a toy application — a key/value store where each transaction's payload
// is "key=value" — to show the engine depends on the Application interface alone.
#include <gtest/gtest.h>

#include "ledger_fixture.hpp"

namespace pilemesh::ledger {
namespace {

using pilemesh::test::TempDir;
using test::kChain;
using test::key_from;
using test::signed_tx;

class ToyKvApp final : public Application {
 public:
  explicit ToyKvApp(StateStore& state) : state_(state) {}

  AppInfo info() const override { return {height_, state_.root()}; }
  Hash init_chain(const Genesis&) override { return state_.flush(); }
  TxResult check_tx(const Transaction& tx, std::uint64_t pending) const override {
    if (std::find(tx.payload.begin(), tx.payload.end(), '=') == tx.payload.end()) {
      return {TxCode::kInvalidPayload, "expected key=value"};
    }
    return tx.nonce == nonce(tx.signer) + pending + 1 ? TxResult{}
                                                      : TxResult{TxCode::kBadNonce, "nonce"};
  }
  std::vector<Transaction> prepare_proposal(const BlockContext&,
                                            std::vector<Transaction> candidates,
                                            std::size_t) override {
    return candidates;
  }
  bool process_proposal(const Block&) override { return true; }
  FinalizeResult finalize_block(const BlockContext& context,
                                std::span<const Transaction> txs) override {
    FinalizeResult out;
    for (const Transaction& tx : txs) {
      const auto eq = std::find(tx.payload.begin(), tx.payload.end(), '=');
      state_.put(std::string_view("kv/" + std::string(tx.payload.begin(), eq)),
                 Bytes(eq + 1, tx.payload.end()));
      state_.put(std::string_view("n/" + tx.signer.hex()),
                 Bytes{static_cast<std::uint8_t>(tx.nonce)});
      out.results.push_back({});
    }
    pending_height_ = context.height;
    out.state_root = state_.flush();
    return out;
  }
  void commit(bool committed) override {
    if (committed)
      height_ = pending_height_;
    else
      state_.discard();
  }
  QueryResult query(std::string_view path) const override {
    auto v = state_.get(std::string_view("kv/" + std::string(path)));
    if (!v) return {TxCode::kNotFound, "no such key", {}};
    return {TxCode::kOk, "", *v};
  }

 private:
  std::uint64_t nonce(const PublicKey& k) const {
    auto v = state_.get(std::string_view("n/" + k.hex()));
    return v ? (*v)[0] : 0;
  }
  StateStore& state_;
  Height height_ = 0, pending_height_ = 0;
};

Transaction kv(const KeyPair& k, std::uint64_t nonce, std::string_view text) {
  return signed_tx(k, kChain, TxType::kTransfer, nonce, Bytes(text.begin(), text.end()));
}

TEST(ToyApp, TheSoloEngineDrivesAnyApplication) {
  TempDir dir;
  const KeyPair validator = key_from(1), user = key_from(2);
  LedgerStore store = LedgerStore::open(dir.path() / "toy.db");
  ToyKvApp app(store.state());
  Mempool mempool(app, MempoolOptions{});
  const FileKeyStore validator_key(validator);
  SoloEngine engine(store, app, mempool, validator_key, SoloOptions{});
  Genesis genesis{kChain, test::kGenesisMs, {validator.public_key()}, {}, {}, {}};
  engine.init(genesis);

  ASSERT_TRUE(engine.submit(kv(user, 1, "colour=green")).ok());
  ASSERT_TRUE(engine.submit(kv(user, 2, "size=7")).ok());
  EXPECT_EQ(engine.submit(kv(user, 3, "no equals sign")).code, TxCode::kInvalidPayload);
  ASSERT_EQ(engine.produce(test::kGenesisMs + 10), 1u);
  const QueryResult q = app.query("colour");
  ASSERT_EQ(q.code, TxCode::kOk);
  EXPECT_EQ(std::string(q.value.begin(), q.value.end()), "green");
  EXPECT_EQ(store.blocks().header(1)->state_root, app.info().state_root);
  EXPECT_EQ(store.blocks().block(1)->txs.size(), 2u);
  EXPECT_EQ(store.blocks().verify_chain(), "");
}

TEST(ToyApp, ANodeThatIsNotTheValidatorCannotRunSolo) {
  TempDir dir;
  const KeyPair validator = key_from(1), stranger = key_from(5);
  LedgerStore store = LedgerStore::open(dir.path() / "toy.db");
  ToyKvApp app(store.state());
  Mempool mempool(app, MempoolOptions{});
  const FileKeyStore stranger_key(stranger);
  SoloEngine engine(store, app, mempool, stranger_key, SoloOptions{});
  EXPECT_THROW(engine.init(Genesis{kChain, 0, {validator.public_key()}, {}, {}, {}}),
               std::runtime_error);
}

}  // namespace
}  // namespace pilemesh::ledger
