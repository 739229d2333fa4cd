#include "pilemesh/ledger/state_store.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <random>
#include <stdexcept>

#include "pilemesh/ledger/merkle.hpp"
#include "state_fixture.hpp"

namespace pilemesh::ledger::test {
namespace {

// The state root recomputed from scratch, written out from the definition in state_store.hpp
// without any of its helpers: every bucket, every level of the 16-level tree.
Hash reference_root(const std::map<Bytes, Bytes>& state) {
  std::vector<std::vector<Hash>> buckets(65536);  // entries arrive in key order
  for (const auto& [key, value] : state) {
    const Hash k = sha256(key);
    Bytes data = {0, 0, static_cast<std::uint8_t>(key.size() >> 8),
                  static_cast<std::uint8_t>(key.size())};
    data.insert(data.end(), key.begin(), key.end());
    data.insert(data.end(), value.begin(), value.end());
    buckets[(std::size_t{k.bytes[0]} << 8) | k.bytes[1]].push_back(sha256(data));
  }
  std::vector<Hash> level;
  for (const auto& entries : buckets) level.push_back(merkle_root(entries));
  while (level.size() > 1) {
    std::vector<Hash> up;
    for (std::size_t i = 0; i < level.size(); i += 2) {
      up.push_back(merkle_node_hash(level[i], level[i + 1]));
    }
    level = std::move(up);
  }
  return level.front();
}

class StateStoreTest : public ::testing::Test, protected StateFixture {};

// A store opened on a damaged file rebuilds its tree at the first flush, and refuses to go on.
void expect_flush_finds_damage(StateStore& reopened, const std::string& damage) {
  reopened.put("carol", bytes_of("1"));
  try {
    reopened.flush();
    ADD_FAILURE() << damage << " went unnoticed";
  } catch (const store::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("does not match the state entries"), std::string::npos)
        << e.what();
  }
}

TEST_F(StateStoreTest, EmptyRootIsTheDocumentedConstant) {
  const std::string documented = "03f0e06610687f70ab58d0e39ae4abb846a5ad17ec789db9d910d27f0ec52ba3";
  EXPECT_EQ(state().root().hex(), documented);
  EXPECT_EQ(empty_state_root().hex(), documented);
  EXPECT_EQ(reference_root({}).hex(), documented);
  EXPECT_EQ(state().flush().hex(), documented);  // nothing pending
}

TEST_F(StateStoreTest, PendingAndFlushedViews) {
  // Another store on the same database sees only flushed rows. A fresh one each time: a store
  // caches what it read, on the premise that it is its tables' only writer (state_store.hpp).
  auto flushed = [&](const Bytes& key) { return StateStore(ledger().db()).get(key); };
  const Bytes key = bytes_of("acct/alice");
  state().put(key, bytes_of("10"));
  EXPECT_EQ(*state().get(key), bytes_of("10"));
  EXPECT_EQ(state().root(), empty_state_root());  // not flushed yet
  EXPECT_FALSE(flushed(key));

  const Hash root = state().flush();
  EXPECT_NE(root, empty_state_root());
  EXPECT_EQ(state().root(), root);
  EXPECT_EQ(*flushed(key), bytes_of("10"));
  EXPECT_EQ(StateStore(ledger().db()).root(), root);

  state().erase(key);
  EXPECT_FALSE(state().get(key));
  EXPECT_EQ(*flushed(key), bytes_of("10"));
  EXPECT_EQ(state().flush(), empty_state_root());
  EXPECT_FALSE(flushed(key));
}

TEST_F(StateStoreTest, RootFollowsEveryChangeAndItsUndo) {
  state().put("a", bytes_of("1"));
  const Hash r0 = state().flush();
  state().put("b", bytes_of("2"));
  const Hash r1 = state().flush();
  EXPECT_NE(r1, r0);
  state().put("b", bytes_of("3"));
  const Hash r2 = state().flush();
  EXPECT_NE(r2, r1);
  state().put("b", Bytes{});  // an empty value is a value
  const Hash r3 = state().flush();
  EXPECT_NE(r3, r2);
  state().put("b", bytes_of("2"));
  EXPECT_EQ(state().flush(), r1);
  state().erase("b");
  EXPECT_EQ(state().flush(), r0);
  state().erase("never-there");
  EXPECT_EQ(state().flush(), r0);
  state().erase("a");
  EXPECT_EQ(state().flush(), empty_state_root());
}

TEST_F(StateStoreTest, RootDoesNotDependOnInsertionOrder) {
  std::mt19937 rng(20240611);
  std::map<Bytes, Bytes> all;  // distinct keys: a repeated key's last value depends on order
  while (all.size() < 3000) {
    Bytes key = random_bytes(rng, 1, 48);
    all.emplace(std::move(key), random_bytes(rng, 0, 64));
  }
  std::vector<std::pair<Bytes, Bytes>> entries(all.begin(), all.end());
  std::shuffle(entries.begin(), entries.end(), rng);

  for (std::size_t i = 0; i < entries.size(); ++i) {
    state().put(entries[i].first, entries[i].second);
    if (i % 250 == 249) state().flush();  // several blocks
  }
  const Hash first = state().flush();

  StateFixture second;
  std::shuffle(entries.begin(), entries.end(), rng);
  for (const auto& [key, value] : entries) second.state().put(key, value);
  EXPECT_EQ(second.state().flush(), first);
  EXPECT_EQ(reference_root(all), first);
}

TEST_F(StateStoreTest, IncrementalRootEqualsRecomputation) {
  std::mt19937 rng(7);
  std::map<Bytes, Bytes> model;
  std::vector<Bytes> keys;
  for (int i = 0; i < 600; ++i) keys.push_back(random_bytes(rng, 1, 4));    // short: collisions
  for (Bytes& key : keys_in_one_bucket(6)) keys.push_back(std::move(key));  // a crowded bucket
  for (int i = 0; i < 60; ++i) keys.push_back(keys[600 + i % 6]);           // ... chosen often
  for (int block = 0; block < 12; ++block) {
    for (int op = 0; op < 150; ++op) {
      const Bytes& key = keys[rng() % keys.size()];
      if (rng() % 4 == 0) {
        state().erase(key);
        model.erase(key);
      } else {
        Bytes value = random_bytes(rng, 0, 100);
        state().put(key, value);
        model[key] = value;
      }
    }
    ASSERT_EQ(state().flush(), reference_root(model)) << "after block " << block;
  }
  for (const auto& [key, value] : model) EXPECT_EQ(*state().get(key), value);
}

TEST_F(StateStoreTest, ScanPrefixMergesPendingWrites) {
  state().put("acct/a", bytes_of("1"));
  state().put("acct/c", bytes_of("3"));
  state().put("acct/e", bytes_of("5"));
  state().put("pile/x", bytes_of("p"));
  state().put(Bytes{'a', 'c', 'c', 't', 0xFF}, bytes_of("high"));
  state().flush();
  state().put("acct/b", bytes_of("2"));   // pending insert
  state().put("acct/c", bytes_of("33"));  // pending overwrite
  state().erase("acct/e");                // pending erase hides a stored row
  state().put("acct0", bytes_of("no"));   // shares no prefix

  const auto all = state().scan_prefix(bytes_of("acct/"), 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], std::make_pair(bytes_of("acct/a"), bytes_of("1")));
  EXPECT_EQ(all[1], std::make_pair(bytes_of("acct/b"), bytes_of("2")));
  EXPECT_EQ(all[2], std::make_pair(bytes_of("acct/c"), bytes_of("33")));
  EXPECT_EQ(state().scan_prefix(bytes_of("acct/"), 2).size(), 2u);
  EXPECT_TRUE(state().scan_prefix(bytes_of("acct/"), 0).empty());
  EXPECT_TRUE(state().scan_prefix(bytes_of("zzz"), 10).empty());

  const auto acct = state().scan_prefix(bytes_of("acct"), 100);
  ASSERT_EQ(acct.size(), 5u);  // acct/a, acct/b, acct/c, acct0, acct\xFF: byte order
  EXPECT_EQ(acct[3].first, bytes_of("acct0"));
  EXPECT_EQ(acct[4].first, (Bytes{'a', 'c', 'c', 't', 0xFF}));
  EXPECT_EQ(state().scan_prefix(Bytes{}, 100).size(), 6u);
}

TEST_F(StateStoreTest, LimitsAreEnforced) {
  EXPECT_THROW(state().put(Bytes{}, bytes_of("v")), std::invalid_argument);
  EXPECT_THROW(state().put(Bytes(kMaxStateKeyBytes + 1, 1), bytes_of("v")), std::invalid_argument);
  EXPECT_THROW(state().put(bytes_of("k"), Bytes(kMaxStateValueBytes + 1, 1)),
               std::invalid_argument);
  EXPECT_THROW(state().get(Bytes(kMaxStateKeyBytes + 1, 1)), std::invalid_argument);
  state().put(Bytes(kMaxStateKeyBytes, 1), Bytes(kMaxStateValueBytes, 2));
  state().flush();
  EXPECT_EQ(state().get(Bytes(kMaxStateKeyBytes, 1))->size(), kMaxStateValueBytes);
}

TEST_F(StateStoreTest, DiscardDropsPendingWrites) {
  state().put("kept", bytes_of("1"));
  const Hash root = state().flush();
  state().put("dropped", bytes_of("2"));
  state().erase("kept");
  EXPECT_TRUE(state().has_pending());
  state().discard();
  EXPECT_FALSE(state().has_pending());
  EXPECT_FALSE(state().get("dropped"));
  EXPECT_EQ(*state().get("kept"), bytes_of("1"));
  EXPECT_EQ(state().flush(), root);
}

TEST_F(StateStoreTest, FlushUndoneByARolledBackTransaction) {
  state().put("kept", bytes_of("1"));
  const Hash before = state().flush();
  {
    store::Transaction tx(ledger().db());
    state().put("kept", bytes_of("changed"));
    state().put("new", bytes_of("2"));
    EXPECT_NE(state().flush(), before);
  }  // rolled back
  state().discard();
  EXPECT_EQ(state().root(), before);
  EXPECT_EQ(*state().get("kept"), bytes_of("1"));
  EXPECT_FALSE(state().get("new"));
  {
    store::Transaction tx(ledger().db());
    state().put("new", bytes_of("2"));
    const Hash after = state().flush();
    tx.commit();
    EXPECT_EQ(state().root(), after);
  }
  EXPECT_EQ(*state().get("new"), bytes_of("2"));
}

TEST_F(StateStoreTest, CachedReadsAfterARolledBackBlockAreThePreBlockValues) {
  // Values and bucket contents are cached once read or flushed; a block that flushed and then
  // rolled back must leave reads, and the next flush's bucket rehash, on the pre-block state.
  const auto same_bucket = keys_in_one_bucket(3);
  std::map<Bytes, Bytes> model{{same_bucket[0], bytes_of("a0")}, {bytes_of("acct"), bytes_of("1")}};
  for (const auto& [k, v] : model) state().put(k, v);
  ASSERT_EQ(state().flush(), reference_root(model));
  EXPECT_EQ(*state().get("acct"), bytes_of("1"));  // now cached
  EXPECT_FALSE(state().get(same_bucket[1]));       // cached as absent
  {
    store::Transaction tx(ledger().db());
    state().put("acct", bytes_of("2"));
    state().put(same_bucket[1], bytes_of("b1"));
    state().erase(same_bucket[0]);
    state().flush();
    EXPECT_EQ(*state().get("acct"), bytes_of("2"));
    EXPECT_EQ(*state().get(same_bucket[1]), bytes_of("b1"));
    state().discard();
  }  // rolled back
  EXPECT_EQ(*state().get("acct"), bytes_of("1"));
  EXPECT_FALSE(state().get(same_bucket[1]));
  EXPECT_EQ(*state().get(same_bucket[0]), bytes_of("a0"));
  EXPECT_EQ(state().root(), reference_root(model));
  // The bucket is rehashed from its pre-block entries plus this change.
  state().put(same_bucket[2], bytes_of("c2"));
  model[same_bucket[2]] = bytes_of("c2");
  EXPECT_EQ(state().flush(), reference_root(model));
  StateStore reopened(ledger().db());
  EXPECT_EQ(*reopened.get(same_bucket[2]), bytes_of("c2"));
  EXPECT_EQ(reopened.root(), reference_root(model));
}

TEST_F(StateStoreTest, RootStaysRightAcrossRolledBackBlocksAndReopening) {
  // The inner nodes are cached in memory; a rolled-back block must not leave them stale, and a
  // fresh store on the same file must rebuild them to the same root.
  std::mt19937 rng(11);
  std::map<Bytes, Bytes> model;
  for (int block = 0; block < 8; ++block) {
    const bool keep = block % 2 == 0;
    store::Transaction tx(ledger().db());
    std::map<Bytes, Bytes> attempt = model;
    for (int op = 0; op < 80; ++op) {
      Bytes key = random_bytes(rng, 1, 3);
      Bytes value = random_bytes(rng, 1, 20);
      state().put(key, value);
      attempt[key] = value;
    }
    ASSERT_EQ(state().flush(), reference_root(attempt));
    if (keep) {
      tx.commit();
      model = attempt;
    } else {
      state().discard();  // and the transaction rolls back
    }
  }
  EXPECT_EQ(state().root(), reference_root(model));
  state().put("one more", bytes_of("x"));
  model[Bytes{'o', 'n', 'e', ' ', 'm', 'o', 'r', 'e'}] = bytes_of("x");
  EXPECT_EQ(state().flush(), reference_root(model));
  StateStore reopened(ledger().db());
  EXPECT_EQ(reopened.root(), reference_root(model));
  reopened.put("after reopening", bytes_of("y"));
  model[Bytes{'a', 'f', 't', 'e', 'r', ' ', 'r', 'e', 'o', 'p', 'e', 'n', 'i', 'n', 'g'}] =
      bytes_of("y");
  EXPECT_EQ(reopened.flush(), reference_root(model));
}

TEST_F(StateStoreTest, AKeyMissingFromTheTableIsWrittenWhenTheJournalIsWrittenIntoIt) {
  // A stored key is updated in place when the journal is written into the table; were the row
  // gone (here behind the store's back), the write still lands, and the file stays consistent
  // with its root.
  state().put("alice", bytes_of("1"));
  state().flush();
  state().compact();
  ledger().db().exec("DELETE FROM state_entries WHERE key = CAST('alice' AS BLOB)");
  state().put("alice", bytes_of("2"));
  const Hash root = state().flush();
  state().compact();
  StateStore reopened(ledger().db());
  EXPECT_EQ(reopened.get("alice"), std::optional<Bytes>(bytes_of("2")));
  reopened.put("bob", bytes_of("3"));
  EXPECT_NO_THROW(reopened.flush());
  EXPECT_EQ(root, reference_root({{Bytes{'a', 'l', 'i', 'c', 'e'}, bytes_of("2")}}));
}

TEST_F(StateStoreTest, AChangedEntryHashIsCaughtWhenTheTreeIsRebuilt) {
  // The bucket hashes are derived from the entries' stored hashes; a stored hash that was
  // changed (a damaged file) gives another root than the one stored, and the store says so.
  state().put("alice", bytes_of("100"));
  state().put("bob", bytes_of("200"));
  state().flush();
  state().compact();
  ledger().db().exec(
      "UPDATE state_entries SET hash = zeroblob(32) WHERE key = CAST('bob' AS BLOB)");
  StateStore reopened(ledger().db());
  expect_flush_finds_damage(reopened, "a damaged entry hash");
}

std::int64_t count_rows(LedgerStore& ledger, std::string_view table) {
  auto q = ledger.db().prepare("SELECT count(*) FROM " + std::string(table));
  q.step();
  return q.column_int(0);
}

TEST_F(StateStoreTest, AFlushAppendsOneJournalRowAndCompactingMovesItIntoTheTable) {
  for (int i = 0; i < 3; ++i) state().put(bytes_of("acct/" + std::to_string(i)), bytes_of("1"));
  const Hash root = state().flush();
  EXPECT_EQ(count_rows(ledger(), "state_journal"), 1);
  EXPECT_EQ(count_rows(ledger(), "state_entries"), 0);
  state().compact();
  EXPECT_EQ(count_rows(ledger(), "state_journal"), 0);
  EXPECT_EQ(count_rows(ledger(), "state_entries"), 3);
  EXPECT_EQ(state().root(), root);
  StateStore reopened(ledger().db());
  EXPECT_EQ(*reopened.get("acct/2"), bytes_of("1"));
  reopened.put("acct/3", bytes_of("1"));
  EXPECT_NO_THROW(reopened.flush());  // the tree rebuilt from the table matches the root
}

TEST_F(StateStoreTest, TheJournalIsWrittenIntoTheTableOnceItHoldsEnoughRows) {
  std::map<Bytes, Bytes> model;
  for (std::size_t block = 1; block <= kStateJournalRows; ++block) {
    const Bytes key = bytes_of("acct/" + std::to_string(block % 7));
    if (block == kStateJournalRows) {
      // The block whose flush writes the journal into the table rolls back first: the journal
      // and the table are as they were, in the file and in what the store reads.
      store::Transaction tx(ledger().db());
      state().put(key, bytes_of("rolled back"));
      state().flush();
      EXPECT_EQ(count_rows(ledger(), "state_journal"), 0);
      state().discard();
    }
    EXPECT_EQ(count_rows(ledger(), "state_journal"), static_cast<std::int64_t>(block - 1));
    EXPECT_EQ(count_rows(ledger(), "state_entries"), 0);
    model[key] = bytes_of(std::to_string(block));
    state().put(key, model[key]);
    const Hash root = state().flush();
    // The reference rehashes the whole tree: checked around the compaction only.
    if (block == 1 || block + 1 >= kStateJournalRows) {
      ASSERT_EQ(root, reference_root(model)) << "block " << block;
    }
  }
  EXPECT_EQ(count_rows(ledger(), "state_journal"), 0);
  EXPECT_EQ(count_rows(ledger(), "state_entries"), 7);
  StateStore reopened(ledger().db());
  for (const auto& [key, value] : model) EXPECT_EQ(*reopened.get(key), value);
}

TEST_F(StateStoreTest, TheJournalIsWrittenIntoTheTableOnceItHoldsEnoughBytes) {
  // Blocks of one large value each: the journal is full by its bytes long before its rows.
  const std::size_t per_block = kMaxStateValueBytes;
  const std::size_t blocks_to_fill = (kStateJournalBytes + per_block - 1) / per_block;
  ASSERT_LT(blocks_to_fill, kStateJournalRows);
  for (std::size_t block = 1; block <= blocks_to_fill; ++block) {
    state().put(bytes_of("big/" + std::to_string(block % 3)),
                Bytes(per_block, static_cast<std::uint8_t>(block)));
    state().flush();
    const std::int64_t rows = count_rows(ledger(), "state_journal");
    EXPECT_EQ(rows, block < blocks_to_fill ? static_cast<std::int64_t>(block) : 0) << block;
  }
  EXPECT_EQ(count_rows(ledger(), "state_entries"), 3);
  EXPECT_EQ(*StateStore(ledger().db()).get("big/0"),
            Bytes(per_block, static_cast<std::uint8_t>(blocks_to_fill / 3 * 3)));
}

TEST_F(StateStoreTest, ReadsSeeTheTableTheJournalAndPendingWritesAsOneState) {
  // Three layers over each other: entries written into the table, then changed or erased in
  // the journal, then changed again by pending writes; keys in one bucket, so that a bucket's
  // hash is made from entries of all three.
  const auto same = keys_in_one_bucket(6);
  std::map<Bytes, Bytes> model;
  for (int i = 0; i < 4; ++i) model[same[i]] = bytes_of("table" + std::to_string(i));
  model[bytes_of("other")] = bytes_of("table");
  for (const auto& [k, v] : model) state().put(k, v);
  state().flush();
  state().compact();
  // The journal: one changed, one erased, one new; a bucket only the journal has, and one
  // whose only table entry the journal erases.
  state().put(same[1], bytes_of("journal1"));
  state().erase(same[2]);
  state().put(same[4], bytes_of("journal4"));
  state().put("journal only", bytes_of("j"));
  state().erase("other");
  model[same[1]] = bytes_of("journal1");
  model.erase(same[2]);
  model[same[4]] = bytes_of("journal4");
  model[bytes_of("journal only")] = bytes_of("j");
  model.erase(bytes_of("other"));
  ASSERT_EQ(state().flush(), reference_root(model));

  auto check_flushed = [&](const StateStore& s, const std::map<Bytes, Bytes>& expected) {
    std::map<Bytes, Bytes> seen;
    s.for_each_flushed([&](const Bytes& k, const Bytes& v) {
      seen[k] = v;
      return true;
    });
    EXPECT_EQ(seen, expected);
    for (const auto& [k, v] : expected) EXPECT_EQ(*s.get(k), v);
    EXPECT_FALSE(s.get(same[2]));
    for (const auto& [k, v] : expected) {
      EXPECT_TRUE(verify_state_proof(s.prove(k), s.root(), k, std::span<const std::uint8_t>(v)));
    }
    EXPECT_TRUE(verify_state_proof(s.prove(same[2]), s.root(), same[2], std::nullopt));
  };
  check_flushed(state(), model);
  StateStore reopened(ledger().db());
  check_flushed(reopened, model);

  // Pending writes over both: scans see all three layers.
  reopened.put(same[0], bytes_of("pending0"));
  reopened.erase(same[4]);
  reopened.put(same[5], bytes_of("pending5"));
  std::map<Bytes, Bytes> expected = model;
  expected[same[0]] = bytes_of("pending0");
  expected.erase(same[4]);
  expected[same[5]] = bytes_of("pending5");
  std::map<Bytes, Bytes> scanned;
  for (auto& [k, v] : reopened.scan_prefix(bytes_of("k"), SIZE_MAX)) scanned[k] = v;
  std::map<Bytes, Bytes> expected_k = expected;
  expected_k.erase(bytes_of("journal only"));
  EXPECT_EQ(scanned, expected_k);
  const auto first_two = reopened.scan_prefix(bytes_of("k"), 2);
  ASSERT_EQ(first_two.size(), 2u);
  EXPECT_EQ(first_two[0].first, expected_k.begin()->first);
  EXPECT_EQ(first_two[0].second, expected_k.begin()->second);
  EXPECT_EQ(first_two[1].first, std::next(expected_k.begin())->first);
  EXPECT_EQ(reopened.flush(), reference_root(expected));
  reopened.compact();
  EXPECT_EQ(count_rows(ledger(), "state_entries"), static_cast<std::int64_t>(expected.size()));
  check_flushed(StateStore(ledger().db()), expected);
}

TEST_F(StateStoreTest, CompactingInARolledBackBlockLeavesTheJournalAsItWas) {
  state().put("a", bytes_of("1"));
  const Hash before = state().flush();
  {
    store::Transaction tx(ledger().db());
    state().put("a", bytes_of("2"));
    state().flush();
    state().compact();
    EXPECT_EQ(*state().get("a"), bytes_of("2"));
    state().discard();
  }  // rolled back
  EXPECT_EQ(count_rows(ledger(), "state_journal"), 1);
  EXPECT_EQ(count_rows(ledger(), "state_entries"), 0);
  EXPECT_EQ(*state().get("a"), bytes_of("1"));
  EXPECT_EQ(state().root(), before);
  state().put("b", bytes_of("1"));
  EXPECT_EQ(state().flush(),
            reference_root({{bytes_of("a"), bytes_of("1")}, {bytes_of("b"), bytes_of("1")}}));
}

TEST_F(StateStoreTest, ADamagedJournalRowIsNamedAndAChangedValueIsCaught) {
  state().put("alice", bytes_of("100"));
  state().flush();
  state().put("bob", bytes_of("200"));
  state().flush();
  // Rows are edited as bytes (SQL's || would make text of them).
  auto edit_row = [&](int seq, const std::function<void(Bytes&)>& edit) {
    auto read = ledger().db().prepare("SELECT changes FROM state_journal WHERE seq = ?1");
    read.bind(1, std::int64_t{seq});
    ASSERT_TRUE(read.step());
    Bytes row = read.column_blob(0);
    edit(row);
    auto write = ledger().db().prepare("UPDATE state_journal SET changes = ?2 WHERE seq = ?1");
    write.bind(1, std::int64_t{seq}).bind(2, std::span<const std::uint8_t>(row)).run();
  };
  // A byte too many: the row cannot be read, and the error says which.
  edit_row(2, [](Bytes& row) { row.push_back(0); });
  try {
    StateStore(ledger().db()).get("bob");
    ADD_FAILURE() << "a damaged journal row went unnoticed";
  } catch (const store::StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("state journal row 2 is damaged (1 trailing bytes)"),
              std::string::npos)
        << e.what();
  }
  edit_row(2, [](Bytes& row) { row.pop_back(); });
  EXPECT_EQ(*StateStore(ledger().db()).get("bob"), bytes_of("200"));
  // Readable but with another value: the tree rebuilt from it does not give the stored root.
  edit_row(1, [](Bytes& row) { row.back() = '9'; });
  StateStore reopened(ledger().db());
  EXPECT_EQ(*reopened.get("alice"), bytes_of("109"));
  expect_flush_finds_damage(reopened, "a changed journal value");
}

}  // namespace
}  // namespace pilemesh::ledger::test
