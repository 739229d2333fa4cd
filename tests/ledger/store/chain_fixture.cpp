#include "chain_fixture.hpp"

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/merkle.hpp"

namespace pilemesh::ledger::test {
namespace {

constexpr TxType kTypes[] = {TxType::kTransfer, TxType::kRegisterPile, TxType::kChargingRecord,
                             TxType::kEvaluation};

}  // namespace

BuiltBlock ChainBuilder::next(std::size_t tx_count) {
  BuiltBlock out;
  Block& block = out.block;
  BlockHeader& header = block.header;
  const Height height = built_.size() + 1;
  header.chain_id = "test-chain";
  header.height = height;
  header.time_ms = 1'700'000'000'000 + static_cast<std::int64_t>(height) * 1000;
  if (!built_.empty()) {
    header.prev_block = hash_of(built_.back().block.header);
    block.last_commit = built_.back().commit;
    header.last_commit_hash = hash_of(block.last_commit);
  }
  std::vector<Hash> tx_hashes;
  std::map<Branch, bool> branches;
  for (std::size_t i = 0; i < tx_count; ++i) {
    Transaction tx;
    tx.chain_id = header.chain_id;
    tx.type = kTypes[(nonce_ + height) % 4];
    tx.signer.bytes.fill(static_cast<std::uint8_t>(i + 1));
    tx.nonce = ++nonce_;
    tx.payload = {static_cast<std::uint8_t>(height), static_cast<std::uint8_t>(i), 0xAB};
    tx_hashes.push_back(hash_of(tx));
    branches[branch_of(static_cast<std::uint16_t>(tx.type))] = true;
    block.txs.push_back(std::move(tx));
    const bool ok = i % 3 != 2;
    out.results.push_back({ok ? TxCode::kOk : TxCode::kBadNonce, ok ? "" : "nonce replayed"});
  }
  header.tx_root = merkle_root(tx_hashes);
  header.state_root = sha256("state after block " + std::to_string(height));
  header.proposer.bytes.fill(0x11);
  header.validators_hash = sha256(std::string_view("validators"));
  for (const auto& [branch, present] : branches) {
    BranchLink link{branch, 1, Hash{}};
    if (auto tip = tips_.find(branch); tip != tips_.end()) {
      link.branch_height = tip->second.branch_height + 1;
      link.prev_branch_block = tip->second.prev_branch_block;
    }
    if (break_link_) {
      link.branch_height += 1;
      break_link_ = false;
    }
    header.branches.push_back(link);
  }
  const Hash hash = hash_of(header);
  for (const BranchLink& link : header.branches) {
    tips_[link.branch] = BranchLink{link.branch, link.branch_height, hash};
  }
  out.commit.height = height;
  out.commit.block_hash = hash;
  CommitSignature signature;
  signature.validator.bytes.fill(0x11);
  signature.signature.bytes.fill(0x22);
  out.commit.signatures.push_back(signature);
  built_.push_back(out);
  return out;
}

void ChainBuilder::save_blocks(BlockStore& store, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    const BuiltBlock b = next((built_.size() * 7 + 3) % 5);
    store.save(b.block, b.results, b.commit);
  }
}

}  // namespace pilemesh::ledger::test
