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

constexpr std::array<store::Migration, 2> kMigrations{{
    {1, "create chain, state and meta tables", kSchemaV1},
    {2, "index transaction hashes by position; keep each transaction's Merkle proof",
     "CREATE INDEX txs_hashes_by_position ON txs(height, idx, hash);"
     "ALTER TABLE txs ADD COLUMN path BLOB;"},
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
