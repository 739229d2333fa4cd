#include "pilemesh/ledger/ledger_store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <vector>

#include "chain_fixture.hpp"
#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/store/migrations.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::test {
namespace {

// Distinct keys in one state bucket, so that a bucket holds several entries.
std::vector<Bytes> keys_in_one_bucket(std::size_t count) {
  std::map<std::uint32_t, std::vector<Bytes>> buckets;
  for (std::uint32_t n = 0;; ++n) {
    Bytes key = {'k', static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 8),
                 static_cast<std::uint8_t>(n)};
    auto& same = buckets[state_bucket(key)];
    same.push_back(std::move(key));
    if (same.size() == count) return same;
  }
}

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

TEST(LedgerStoreTest, ATransactionIsFoundThroughTheHashIndexWithoutAScan) {
  // A lookup by hash goes through tx_hash_index's key and then the transaction's own key, never
  // a scan: history() follows pointers to transactions this way.
  pilemesh::test::TempDir dir;
  LedgerStore ledger = LedgerStore::open(dir.path() / "ledger.db");
  auto plan = ledger.db().prepare(
      "EXPLAIN QUERY PLAN SELECT t.height, t.idx FROM tx_hash_index i JOIN txs t "
      "ON t.height = i.height AND t.idx = i.idx "
      "WHERE i.prefix = substr(?1, 1, 8) AND t.hash = ?1");
  std::string steps;
  while (plan.step()) steps += plan.column_text(3) + "\n";
  EXPECT_NE(steps.find("SEARCH i USING PRIMARY KEY (prefix=?)"), std::string::npos) << steps;
  EXPECT_NE(steps.find("SEARCH t USING PRIMARY KEY (height=? AND idx=?)"), std::string::npos)
      << steps;
  EXPECT_EQ(steps.find("SCAN"), std::string::npos) << steps;
  ChainBuilder chain;
  chain.save_blocks(ledger.blocks(), kTxIndexBatchBlocks + 1);
  // A store opened now holds in memory only the last block's transactions; the others are
  // found through the index.
  BlockStore reopened(ledger.db());
  for (const BuiltBlock& b : chain.built()) {
    for (const Transaction& tx : b.block.txs) {
      const auto record = reopened.tx(hash_of(tx));
      ASSERT_TRUE(record);
      EXPECT_EQ(record->height, b.block.header.height);
    }
  }
  EXPECT_FALSE(ledger.blocks().tx(sha256("no such transaction")));
}

TEST(LedgerStoreTest, MigratesAVersion2Database) {
  // A ledger.db written by an earlier release (schema v2): chain, state and root must read
  // back the same after migration v3 rebuilt its tables, v4 dropped the stored bucket hashes
  // and v5 added the state journal, and keep working.
  pilemesh::test::TempDir dir;
  const auto file = dir.path() / "ledger.db";
  ChainBuilder chain;
  std::map<Bytes, Bytes> model;
  Hash root;
  const auto same_bucket = keys_in_one_bucket(3);
  {
    store::Database::Options options;
    options.durable = true;
    store::Database db = store::Database::open(file, options);
    store::migrate(db, LedgerStore::migrations().first(2));
    ASSERT_EQ(store::schema_version(db), 2);
    // The chain as v2 stored it: the same rows, copied from a ledger saved by today's store.
    LedgerStore saved = LedgerStore::open(dir.path() / "saved.db");
    chain.save_blocks(saved.blocks(), 6);
    db.prepare("ATTACH DATABASE ?1 AS saved").bind(1, (dir.path() / "saved.db").string()).run();
    db.exec(
        "INSERT INTO blocks SELECT height, hash, header, last_commit, commit_bytes FROM "
        "saved.blocks;"
        "INSERT INTO txs(hash, height, idx, bytes, code, log, path) "
        "SELECT hash, height, idx, bytes, code, log, path FROM saved.txs;"
        "INSERT INTO branch_blocks SELECT branch, branch_height, height FROM saved.branch_blocks;"
        "DETACH DATABASE saved;");
    for (int i = 0; i < 40; ++i) {
      Bytes key = {'a', 'c', 'c', 't', '/', static_cast<std::uint8_t>(i)};
      model[key] = Bytes{static_cast<std::uint8_t>(i), 7};
    }
    model[same_bucket[0]] = Bytes{1};
    model[same_bucket[1]] = Bytes{2};
    // The state as v2 stored it: the entries with their buckets and hashes, a level-0 row per
    // non-empty bucket (v4 drops them unread, so their content here is a stand-in) and the
    // root (level 16), taken from today's store.
    LedgerStore reference = LedgerStore::open(dir.path() / "reference.db");
    for (const auto& [key, value] : model) reference.state().put(key, value);
    root = reference.state().flush();
    for (const auto& [key, value] : model) {
      auto row =
          db.prepare("INSERT INTO state_entries(key, bucket, value, hash) VALUES (?1, ?2, ?3, ?4)");
      row.bind(1, std::span<const std::uint8_t>(key))
          .bind(2, std::int64_t{state_bucket(key)})
          .bind(3, std::span<const std::uint8_t>(value))
          .bind(4, std::span<const std::uint8_t>(state_entry_hash(key, value).bytes))
          .run();
      auto node =
          db.prepare("INSERT OR IGNORE INTO state_nodes(level, idx, hash) VALUES (0, ?1, ?2)");
      node.bind(1, std::int64_t{state_bucket(key)})
          .bind(2, std::span<const std::uint8_t>(sha256(key).bytes))
          .run();
    }
    auto top = db.prepare("INSERT INTO state_nodes(level, idx, hash) VALUES (16, 0, ?1)");
    top.bind(1, std::span<const std::uint8_t>(root.bytes)).run();
  }
  LedgerStore ledger = LedgerStore::open(file);
  EXPECT_EQ(store::schema_version(ledger.db()), static_cast<int>(LedgerStore::migrations().size()));
  // v4: the bucket hashes are derived from the entries, no longer stored; the root stays.
  {
    auto q = ledger.db().prepare("SELECT count(*) FROM state_nodes WHERE level = 0");
    ASSERT_TRUE(q.step());
    EXPECT_EQ(q.column_int(0), 0);
  }
  for (const char* table : {"txs", "state_entries"}) {
    auto q = ledger.db().prepare("SELECT sql FROM sqlite_schema WHERE name = ?1");
    q.bind(1, std::string_view(table));
    ASSERT_TRUE(q.step());
    EXPECT_NE(q.column_text(0).find("WITHOUT ROWID"), std::string::npos) << table;
  }
  EXPECT_EQ(ledger.state().root(), root);
  for (const auto& [key, value] : model) EXPECT_EQ(*ledger.state().get(key), value);
  EXPECT_EQ(ledger.blocks().height(), 6u);
  EXPECT_EQ(ledger.blocks().verify_chain(), "");
  for (const BuiltBlock& b : chain.built()) {
    std::vector<Hash> hashes;
    for (const Transaction& tx : b.block.txs) hashes.push_back(hash_of(tx));
    EXPECT_EQ(ledger.blocks().tx_hashes(b.block.header.height), hashes);
    for (std::size_t i = 0; i < hashes.size(); ++i) {
      auto record = ledger.blocks().tx(hashes[i]);
      ASSERT_TRUE(record);
      EXPECT_EQ(record->height, b.block.header.height);
      EXPECT_EQ(record->index, i);
      const auto proof = ledger.blocks().tx_proof(hashes[i]);
      ASSERT_TRUE(proof);
      EXPECT_EQ(proof->path, merkle_prove(hashes, i).path);
    }
  }
  // Writing on: a bucket that had entries before the migration, a new key, and a next block.
  ledger.state().put(same_bucket[2], Bytes{3});
  ledger.state().erase(same_bucket[0]);
  model[same_bucket[2]] = Bytes{3};
  model.erase(same_bucket[0]);
  const Hash migrated_root = ledger.state().flush();
  chain.save_blocks(ledger.blocks(), 1);
  EXPECT_EQ(ledger.blocks().verify_chain(), "");
  LedgerStore fresh = LedgerStore::open(dir.path() / "fresh.db");
  for (const auto& [key, value] : model) fresh.state().put(key, value);
  EXPECT_EQ(fresh.state().flush(), migrated_root);
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
