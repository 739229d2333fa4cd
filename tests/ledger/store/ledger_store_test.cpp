#include "pilemesh/ledger/ledger_store.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "chain_fixture.hpp"
#include "pilemesh/store/migrations.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::test {
namespace {

TEST(LedgerStoreTest, CreatesTheSchemaAndReopens) {
  pilemesh::test::TempDir dir;
  const auto file = dir.path() / "ledger.db";
  ChainBuilder chain;
  Hash root;
  {
    LedgerStore ledger = LedgerStore::open(file);
    EXPECT_EQ(store::schema_version(ledger.db()),
              static_cast<int>(LedgerStore::migrations().size()));
    chain.save_blocks(ledger.blocks(), 5);
    ledger.state().put("acct/1", Bytes{1, 2, 3});
    root = ledger.state().flush();
    const Bytes genesis{0xAA, 0xBB};
    ledger.set_meta("genesis", genesis);
  }
  LedgerStore ledger = LedgerStore::open(file);
  EXPECT_EQ(ledger.blocks().height(), 5u);
  EXPECT_EQ(ledger.state().root(), root);
  EXPECT_EQ(*ledger.state().get("acct/1"), (Bytes{1, 2, 3}));
  EXPECT_EQ(*ledger.meta("genesis"), (Bytes{0xAA, 0xBB}));
  EXPECT_FALSE(ledger.meta("other"));
  EXPECT_EQ(ledger.blocks().verify_chain(), "");
}

TEST(LedgerStoreTest, MovedStoreKeepsWorking) {
  pilemesh::test::TempDir dir;
  LedgerStore first = LedgerStore::open(dir.path() / "a.db");
  LedgerStore second = LedgerStore::open(dir.path() / "b.db");
  ChainBuilder chain;
  chain.save_blocks(first.blocks(), 2);
  second = std::move(first);
  EXPECT_EQ(second.blocks().height(), 2u);
  LedgerStore third(std::move(second));
  EXPECT_EQ(third.blocks().height(), 2u);
}

TEST(LedgerStoreTest, GarbageFileIsRefusedClearly) {
  pilemesh::test::TempDir dir;
  const auto file = dir.path() / "ledger.db";
  {
    std::ofstream out(file, std::ios::binary);
    for (int i = 0; i < 8192; ++i) out.put(static_cast<char>((i * 131 + 7) & 0xFF));
  }
  try {
    LedgerStore::open(file);
    FAIL() << "a garbage file was opened";
  } catch (const store::StoreError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("ledger.db"), std::string::npos) << message;
    EXPECT_NE(message.find("not a database"), std::string::npos) << message;
  }
}

TEST(LedgerStoreTest, NewerSchemaIsRefused) {
  pilemesh::test::TempDir dir;
  const auto file = dir.path() / "ledger.db";
  {
    LedgerStore ledger = LedgerStore::open(file);
    ledger.db().exec("PRAGMA user_version = 99;");
  }
  EXPECT_THROW(LedgerStore::open(file), store::StoreError);
}

}  // namespace
}  // namespace pilemesh::ledger::test
