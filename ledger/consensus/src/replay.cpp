#include "pilemesh/ledger/replay.hpp"

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/ledger/solo_engine.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {
namespace {

std::string check_block(const Block& block, const Hash& stored_hash, const Commit& commit,
                        const Genesis& genesis) {
  if (hash_of(block.header) != stored_hash)
    return "the header does not hash to the stored block hash";
  if (block.header.chain_id != genesis.chain_id) return "chain id " + block.header.chain_id;
  if (block.header.validators_hash != validators_hash(genesis.validators))
    return "validators hash differs";
  if (commit.block_hash != stored_hash || commit.height != block.header.height) {
    return "its commit is for another block";
  }
  if (!verify_commit(genesis.chain_id, commit, genesis.validators)) {
    return "its commit is not signed by more than two thirds of the validators";
  }
  std::vector<Hash> hashes;
  hashes.reserve(block.txs.size());
  for (std::size_t i = 0; i < block.txs.size(); ++i) {
    const Transaction& tx = block.txs[i];
    if (!verify(tx.signer, signing_bytes(tx), tx.signature)) {
      return "transaction " + std::to_string(i) + " has a bad signature";
    }
    hashes.push_back(hash_of(tx));
  }
  if (merkle_root(hashes) != block.header.tx_root) return "tx root does not match the transactions";
  return "";
}

}  // namespace

ReplayReport replay_chain(const BlockStore& source, const Genesis& genesis, LedgerStore& target,
                          Application& app, const std::function<void(Height, Height)>& progress) {
  ReplayReport report;
  {
    store::Transaction tx(target.db());
    app.init_chain(genesis);
    tx.commit();
    app.commit(true);
  }
  const Height total = source.height();
  for (Height h = 1; h <= total; ++h) {
    auto fail = [&](std::string why) {
      report.bad_height = h;
      report.reason = std::move(why);
      return report;
    };
    auto block = source.block(h);
    auto hash = source.block_hash(h);
    auto commit = source.commit(h);
    if (!block || !hash || !commit) return fail("the block or its commit is missing or unreadable");
    if (std::string problem = check_block(*block, *hash, *commit, genesis); !problem.empty()) {
      return fail(problem);
    }
    const BlockContext context{block->header.chain_id, h, block->header.time_ms,
                               block->header.proposer};
    store::Transaction tx(target.db());
    try {
      FinalizeResult result = app.finalize_block(context, block->txs);
      if (result.state_root != block->header.state_root) {
        app.commit(false);
        return fail("state root after execution is " + result.state_root.hex() +
                    ", the header says " + block->header.state_root.hex());
      }
      target.blocks().save(*block, result.results, *commit);
      tx.commit();
      app.commit(true);
    } catch (...) {
      app.commit(false);
      throw;
    }
    report.checked = h;
    if (progress) progress(h, total);
  }
  return report;
}

}  // namespace pilemesh::ledger
