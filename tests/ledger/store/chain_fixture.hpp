// Builds a chain of well-formed blocks with made-up contents (signatures are not checked by
// the block store), and a ledger.db in a temporary folder to store them in.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "pilemesh/ledger/block.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/result.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::test {

struct BuiltBlock {
  Block block;
  std::vector<TxResult> results;
  Commit commit;  // the commit that signs this block
};

class ChainBuilder {
 public:
  // The next block with `tx_count` transactions whose types cycle through the branches.
  BuiltBlock next(std::size_t tx_count);
  // Builds and saves `count` blocks with 0..4 transactions each.
  void save_blocks(BlockStore& store, std::size_t count);
  const std::vector<BuiltBlock>& built() const { return built_; }

  // Makes the next block's link for `branch` wrong (a branch height off by one).
  void break_next_branch_link() { break_link_ = true; }

 private:
  std::vector<BuiltBlock> built_;
  std::map<Branch, BranchLink> tips_;
  std::uint64_t nonce_ = 0;
  bool break_link_ = false;
};

class LedgerFixture {
 public:
  LedgerFixture() : ledger_(LedgerStore::open(dir_.path() / "ledger.db")) {}
  LedgerStore& ledger() { return ledger_; }
  std::filesystem::path file() const { return dir_.path() / "ledger.db"; }

 private:
  pilemesh::test::TempDir dir_;
  LedgerStore ledger_;
};

}  // namespace pilemesh::ledger::test
