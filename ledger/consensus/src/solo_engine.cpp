#include "pilemesh/ledger/solo_engine.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/merkle.hpp"
#include "pilemesh/store/database.hpp"

namespace pilemesh::ledger {

SoloEngine::SoloEngine(LedgerStore& store, Application& app, Mempool& mempool,
                       const KeyStore& node_key, SoloOptions options)
    : store_(store), app_(app), mempool_(mempool), key_(node_key), options_(options) {}

void SoloEngine::init(const Genesis& genesis) {
  if (genesis.validators.size() != 1 || genesis.validators.front() != key_.public_key()) {
    throw std::runtime_error("the solo engine needs this node (" + key_.public_key().hex() +
                             ") as the genesis's only validator");
  }
  genesis_ = genesis;
  validators_hash_ = validators_hash(genesis.validators);
  if (store_.blocks().height() > 0 || app_.info().height > 0) return;
  store::Transaction tx(store_.db());
  try {
    app_.init_chain(genesis);
    tx.commit();
    app_.commit(true);
  } catch (...) {
    app_.commit(false);
    throw;
  }
}

TxResult SoloEngine::submit(const Transaction& tx) {
  return mempool_.add(tx, height());
}

Height SoloEngine::height() const {
  if (!height_) height_ = store_.blocks().height();
  return *height_;
}

std::vector<BranchLink> SoloEngine::branch_links(std::span<const Transaction> txs) const {
  std::map<Branch, BranchLink> links;  // ordered by branch, as the header requires
  for (const Transaction& tx : txs) {
    const Branch b = branch_of(static_cast<std::uint16_t>(tx.type));
    if (links.count(b) != 0) continue;
    BranchLink link{b, 1, Hash{}};
    if (auto previous = store_.blocks().latest_branch_block(b)) {
      const auto header = store_.blocks().header(*previous);
      link.prev_branch_block = *store_.blocks().block_hash(*previous);
      for (const BranchLink& l : header->branches)
        if (l.branch == b) link.branch_height = l.branch_height + 1;
    }
    links.emplace(b, link);
  }
  std::vector<BranchLink> out;
  for (auto& [b, link] : links) out.push_back(link);
  return out;
}

std::optional<Height> SoloEngine::produce(std::int64_t now_ms, bool allow_empty) {
  const Height previous = height();
  std::optional<BlockHeader> previous_header;
  if (previous > 0) previous_header = store_.blocks().header(previous);

  BlockContext context;
  context.chain_id = genesis_.chain_id;
  context.height = previous + 1;
  const std::int64_t floor = previous_header ? previous_header->time_ms + 1 : genesis_.time_ms;
  context.time_ms = std::max(now_ms, floor);
  context.proposer = key_.public_key();

  std::vector<Transaction> txs = app_.prepare_proposal(
      context, mempool_.candidates(options_.max_block_txs, options_.max_block_bytes),
      options_.max_block_bytes);
  if (txs.empty() && !allow_empty) return std::nullopt;

  Block block;
  block.txs = std::move(txs);
  if (previous > 0) block.last_commit = *store_.blocks().commit(previous);
  BlockHeader& header = block.header;
  header.chain_id = context.chain_id;
  header.height = context.height;
  header.time_ms = context.time_ms;
  header.prev_block = previous > 0 ? *store_.blocks().block_hash(previous) : Hash{};
  header.branches = branch_links(block.txs);
  std::vector<Hash> tx_hashes;
  tx_hashes.reserve(block.txs.size());
  for (const Transaction& tx : block.txs) tx_hashes.push_back(hash_of(tx));
  header.tx_root = merkle_root(tx_hashes);
  header.proposer = key_.public_key();
  header.validators_hash = validators_hash_;
  header.last_commit_hash = previous > 0 ? hash_of(block.last_commit) : Hash{};

  store::Transaction storage(store_.db());
  try {
    FinalizeResult result = app_.finalize_block(context, block.txs);
    header.state_root = result.state_root;
    const Commit commit = sign_commit(context.chain_id, context.height, hash_of(header), key_);
    store_.blocks().save(block, result.results, commit);
    storage.commit();
    height_ = context.height;
    app_.commit(true);
  } catch (...) {
    height_.reset();  // read again from the store, whatever part was written
    app_.commit(false);
    throw;
  }
  mempool_.update(block.txs, context.height);
  return context.height;
}

}  // namespace pilemesh::ledger
