// The ledger database (ledger.db): the chain, the application state and a little metadata in
// one SQLite file, so that a block and the state it produced commit in one transaction.
//
// The schema is the ledger's own, numbered migrations (store::migrate); a file that is not a
// database, is damaged, or is newer than this program is refused at open with a message that
// names it.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string_view>

#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/state_store.hpp"
#include "pilemesh/store/database.hpp"
#include "pilemesh/store/migrations.hpp"

namespace pilemesh::ledger {

class LedgerStore {
 public:
  // Opens or creates `file` (WAL) and brings its schema up to date. Throws store::StoreError.
  static LedgerStore open(const std::filesystem::path& file);

  LedgerStore(LedgerStore&&) noexcept;
  LedgerStore& operator=(LedgerStore&&) noexcept;
  ~LedgerStore();

  store::Database& db() { return *db_; }
  BlockStore& blocks() { return *blocks_; }
  const BlockStore& blocks() const { return *blocks_; }
  StateStore& state() { return *state_; }
  const StateStore& state() const { return *state_; }

  // Small named values of the node (e.g. the genesis hash it was started with).
  std::optional<Bytes> meta(std::string_view key) const;
  void set_meta(std::string_view key, std::span<const std::uint8_t> value);

  static std::span<const store::Migration> migrations();

 private:
  LedgerStore() = default;
  // Owned through pointers: the stores keep a reference to the database, which must not move.
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<StateStore> state_;
  std::unique_ptr<BlockStore> blocks_;
};

}  // namespace pilemesh::ledger
