#include "pilemesh/ledger/ledger_store.hpp"

#include <array>
#include <string>

#include "pilemesh/ledger/sql_statement.hpp"

namespace pilemesh::ledger {
namespace {

// Forward-only: a released migration is never edited, a change is a new one.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE blocks (
  height INTEGER PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  header BLOB NOT NULL,        -- encode(BlockHeader)
  last_commit BLOB NOT NULL,   -- encode(Commit): the previous block's commit, carried in this one
  commit_bytes BLOB NOT NULL   -- encode(Commit): the commit that signed this block
);
CREATE TABLE txs (
  hash BLOB PRIMARY KEY,
  height INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  bytes BLOB NOT NULL,         -- encode(Transaction)
  code INTEGER NOT NULL,
  log TEXT NOT NULL
);
CREATE UNIQUE INDEX txs_by_position ON txs(height, idx);
CREATE TABLE branch_blocks (
  branch INTEGER NOT NULL,
  branch_height INTEGER NOT NULL,
  height INTEGER NOT NULL,
  PRIMARY KEY (branch, branch_height)
) WITHOUT ROWID;
CREATE TABLE state_entries (
  key BLOB NOT NULL UNIQUE,
  bucket INTEGER NOT NULL,
  value BLOB NOT NULL,
  hash BLOB NOT NULL           -- the entry hash, so that rehashing a bucket reads no values
);
CREATE INDEX state_entries_by_bucket ON state_entries(bucket, key, hash);
CREATE TABLE state_nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;
)sql";

// Fewer B-trees per write: a block changed ~3 B-trees per state key (the rowid table, its
// UNIQUE(key) index and the bucket index, which also held the entry hash) and 4 per transaction
// (rowid table, hash index and two position indexes); each is a random page dirtied in the WAL.
// Now state entries live in their key's B-tree, with an index by bucket that a value change
// does not touch (the entry hash is read from the table when a bucket is read, which the
// state store caches); transactions live in block order, appended, with one index by hash.
constexpr std::string_view kSchemaV3 = R"sql(
CREATE TABLE state_entries_v3 (
  key BLOB PRIMARY KEY,
  bucket INTEGER NOT NULL,
  value BLOB NOT NULL,
  hash BLOB NOT NULL           -- the entry hash, so that rehashing a bucket reads no values
) WITHOUT ROWID;
INSERT INTO state_entries_v3(key, bucket, value, hash)
  SELECT key, bucket, value, hash FROM state_entries;
DROP TABLE state_entries;
ALTER TABLE state_entries_v3 RENAME TO state_entries;
CREATE INDEX state_entries_by_bucket ON state_entries(bucket);  -- and key, the primary key
CREATE TABLE txs_v3 (
  height INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  bytes BLOB NOT NULL,         -- encode(Transaction)
  code INTEGER NOT NULL,
  log TEXT NOT NULL,
  path BLOB,                   -- the Merkle proof's path; NULL for blocks stored before v2
  PRIMARY KEY (height, idx)
) WITHOUT ROWID;
INSERT INTO txs_v3(height, idx, hash, bytes, code, log, path)
  SELECT height, idx, hash, bytes, code, log, path FROM txs;
DROP TABLE txs;
ALTER TABLE txs_v3 RENAME TO txs;
CREATE UNIQUE INDEX txs_by_hash ON txs(hash);
)sql";

// A block's ~1000 state changes and 500 transaction hashes were random keys written into large
// B-trees, a page each; both are now written many blocks at a time, in key order (state_store.hpp,
// block_store.hpp). The index of hash prefixes gives way to a table written by save() in batches.
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE state_journal (seq INTEGER PRIMARY KEY, changes BLOB NOT NULL);
DROP INDEX txs_by_hash_prefix;
CREATE TABLE tx_hash_index (
  prefix BLOB NOT NULL,        -- the transaction hash's first 8 bytes
  height INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  PRIMARY KEY (prefix, height, idx)
) WITHOUT ROWID;
INSERT INTO tx_hash_index(prefix, height, idx)
  SELECT substr(hash, 1, 8), height, idx FROM txs ORDER BY 1, 2, 3;
INSERT OR REPLACE INTO meta(key, value)
  SELECT 'tx_hash_index_height', coalesce(max(height), 0) FROM blocks;
)sql";

constexpr std::array<store::Migration, 5> kMigrations{{
    {1, "create chain, state and meta tables", kSchemaV1},
    {2, "index transaction hashes by position; keep each transaction's Merkle proof",
     "CREATE INDEX txs_hashes_by_position ON txs(height, idx, hash);"
     "ALTER TABLE txs ADD COLUMN path BLOB;"},
    {3, "state entries and transactions without rowids; fewer indexes to write per block",
     kSchemaV3},
    {4,
     "bucket hashes derived from the state entries at start, no longer stored per block; "
     "transactions found by an index of their hashes' first 8 bytes",
     "DELETE FROM state_nodes WHERE level = 0;"
     "DROP INDEX txs_by_hash;"
     "CREATE INDEX txs_by_hash_prefix ON txs(substr(hash, 1, 8));"},
    {5,
     "a block's state changes appended as one journal row, and its transactions' hashes "
     "indexed, many blocks at a time",
     kSchemaV5},
}};

}  // namespace

std::span<const store::Migration> LedgerStore::migrations() {
  return kMigrations;
}

LedgerStore LedgerStore::open(const std::filesystem::path& file) {
  LedgerStore ledger;
  try {
    store::Database::Options options;
    options.durable = true;  // a validator must never forget a block it has committed
    ledger.db_ = std::make_unique<store::Database>(store::Database::open(file, options));
    store::migrate(*ledger.db_, kMigrations);
    ledger.db_->exec("PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 8192;");
  } catch (const store::StoreError& e) {
    throw store::StoreError(std::string("cannot open the ledger: ") + e.what());
  }
  ledger.state_ = std::make_unique<StateStore>(*ledger.db_);
  ledger.blocks_ = std::make_unique<BlockStore>(*ledger.db_);
  return ledger;
}

LedgerStore::LedgerStore(LedgerStore&&) noexcept = default;
// The stores' prepared statements are finalized before their connection closes (members are
// destroyed in reverse order).
LedgerStore::~LedgerStore() = default;

LedgerStore& LedgerStore::operator=(LedgerStore&& other) noexcept {
  if (this != &other) {
    blocks_.reset();
    state_.reset();
    db_ = std::move(other.db_);
    state_ = std::move(other.state_);
    blocks_ = std::move(other.blocks_);
  }
  return *this;
}

std::optional<Bytes> LedgerStore::meta(std::string_view key) const {
  SqlStatement s(*db_, "SELECT value FROM meta WHERE key = ?1");
  s.bind(1, key);
  if (!s.step()) return std::nullopt;
  return s.column_blob(0);
}

void LedgerStore::set_meta(std::string_view key, std::span<const std::uint8_t> value) {
  SqlStatement s(*db_, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)");
  s.bind(1, key).bind(2, value).run();
}

}  // namespace pilemesh::ledger
