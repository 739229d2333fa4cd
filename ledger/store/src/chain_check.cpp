// Integrity checks of the stored chain: recompute from the stored bytes what the headers
// commit to, so that a damaged or edited file is found at start rather than served to peers.
#include <map>
#include <string>
#include <variant>

#include "block_codec.hpp"
#include "block_store_statements.hpp"
#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/encoding.hpp"

namespace pilemesh::ledger {

using detail::hash_from_blob;

struct BlockStore::BranchTip {
  Branch branch;
  Height branch_height = 0;
  Hash block_hash;
};

namespace {

std::string at(Height height, const std::string& what) {
  return "block " + std::to_string(height) + ": " + what;
}

}  // namespace

std::string BlockStore::check_block(Height height, const std::optional<Hash>& prev_hash,
                                    BlockHeader& header_out, Hash& hash_out) const {
  Bytes last_commit_bytes;
  Bytes commit_bytes;
  {
    SqlCursor c(sql_->block_row);
    c->bind(1, static_cast<std::int64_t>(height));
    if (!c->step()) return at(height, "missing");
    hash_out = hash_from_blob(c->column_blob(0));
    auto decoded = decode_block_header(c->column_blob(1));
    if (auto* error = std::get_if<DecodeError>(&decoded)) {
      return at(height, "the stored header does not decode (" + error->reason + ")");
    }
    header_out = std::get<BlockHeader>(std::move(decoded));
    last_commit_bytes = c->column_blob(2);
    commit_bytes = c->column_blob(3);
  }
  const BlockHeader& header = header_out;
  if (header.height != height) {
    return at(height, "the header says height " + std::to_string(header.height));
  }
  if (hash_of(header) != hash_out) {
    return at(height, "the header's hash " + hash_of(header).hex() +
                          " does not match the stored block hash " + hash_out.hex());
  }
  if (!prev_hash) return at(height, "the previous block is missing");
  if (header.prev_block != *prev_hash) {
    return at(height, "prev_block " + header.prev_block.hex() +
                          " does not match the previous block's hash " + prev_hash->hex());
  }

  std::vector<Hash> tx_hashes;
  {
    SqlCursor c(sql_->block_txs);
    c->bind(1, static_cast<std::int64_t>(height));
    while (c->step()) {
      const auto index = static_cast<std::size_t>(c->column_int(1));
      if (index != tx_hashes.size()) {
        return at(height, "transaction " + std::to_string(tx_hashes.size()) + " is missing");
      }
      const Hash stored = hash_from_blob(c->column_blob(0));
      if (sha256(c->column_blob(2)) != stored) {
        return at(height, "transaction " + std::to_string(index) +
                              " does not match its stored hash " + stored.hex());
      }
      tx_hashes.push_back(stored);
    }
  }
  if (merkle_root(tx_hashes) != header.tx_root) {
    return at(height, "tx_root does not match the " + std::to_string(tx_hashes.size()) +
                          " stored transactions");
  }
  // The proofs kept with the transactions (served by the API and history) must be the ones the
  // transactions give; rows stored before proofs were kept have none.
  const std::vector<MerkleProof> proofs = merkle_prove_all(tx_hashes);
  for (std::size_t i = 0; i < proofs.size(); ++i) {
    SqlCursor c(sql_->tx_path);
    c->bind(1, static_cast<std::int64_t>(height)).bind(2, static_cast<std::int64_t>(i));
    if (!c->step() || c->column_is_null(0)) continue;
    const auto stored = detail::decode_proof_path(c->column_blob(0), i);
    if (!stored || stored->leaf_count != proofs[i].leaf_count || stored->path != proofs[i].path) {
      return at(height,
                "the stored Merkle proof of transaction " + std::to_string(i) + " is wrong");
    }
  }

  auto commit = decode_commit(commit_bytes);
  if (auto* error = std::get_if<DecodeError>(&commit)) {
    return at(height, "the stored commit does not decode (" + error->reason + ")");
  }
  const Commit& signed_by = std::get<Commit>(commit);
  if (signed_by.height != height || signed_by.block_hash != hash_out) {
    return at(height, "the stored commit is for another block");
  }
  auto last_commit = decode_commit(last_commit_bytes);
  if (auto* error = std::get_if<DecodeError>(&last_commit)) {
    return at(height, "the carried last commit does not decode (" + error->reason + ")");
  }
  if (height > 1 && hash_of(std::get<Commit>(last_commit)) != header.last_commit_hash) {
    return at(height, "last_commit_hash does not match the carried commit");
  }
  return {};
}

std::string BlockStore::check_branches(Height height, const BlockHeader& header, const Hash& hash,
                                       std::vector<BranchTip>& tips) const {
  const BranchLink* previous = nullptr;
  for (const BranchLink& link : header.branches) {
    const auto number = std::to_string(static_cast<int>(link.branch));
    if (previous != nullptr && previous->branch >= link.branch) {
      return at(height, "branch links are not sorted by branch");
    }
    previous = &link;
    BranchTip* tip = nullptr;
    for (BranchTip& t : tips)
      if (t.branch == link.branch) tip = &t;
    const Height expected_height = tip ? tip->branch_height + 1 : 1;
    const Hash expected_prev = tip ? tip->block_hash : Hash{};
    if (link.branch_height != expected_height) {
      return at(height, "branch " + number + " height is " + std::to_string(link.branch_height) +
                            ", expected " + std::to_string(expected_height));
    }
    if (link.prev_branch_block != expected_prev) {
      return at(height,
                "branch " + number + " link does not point at the previous block of the branch");
    }
    SqlCursor c(sql_->branch_row);
    c->bind(1, static_cast<std::int64_t>(link.branch))
        .bind(2, static_cast<std::int64_t>(link.branch_height));
    if (!c->step() || static_cast<Height>(c->column_int(0)) != height) {
      return at(height, "the branch index has no row for branch " + number + " height " +
                            std::to_string(link.branch_height));
    }
    if (tip == nullptr) {
      tips.push_back({link.branch, 0, {}});
      tip = &tips.back();
    }
    tip->branch_height = link.branch_height;
    tip->block_hash = hash;
  }
  return {};
}

std::string BlockStore::quick_check(std::size_t latest_n) const {
  {
    SqlStatement c(db_, "PRAGMA quick_check");
    std::string problems;
    while (c.step()) {
      const std::string line = c.column_text(0);
      if (line == "ok") continue;
      if (!problems.empty()) problems += "; ";
      problems += line;
    }
    if (!problems.empty()) return db_.path().filename().string() + ": " + problems;
  }
  const Height top = height();
  const Height first = top > latest_n ? top - latest_n + 1 : 1;
  for (Height h = first; h <= top; ++h) {
    const std::optional<Hash> prev = h == 1 ? std::optional<Hash>(Hash{}) : block_hash(h - 1);
    BlockHeader header;
    Hash hash;
    if (std::string problem = check_block(h, prev, header, hash); !problem.empty()) {
      return problem;
    }
  }
  return {};
}

std::string BlockStore::verify_chain(const Progress& progress) const {
  const Height top = height();
  std::vector<BranchTip> tips;
  Hash prev{};
  for (Height h = 1; h <= top; ++h) {
    BlockHeader header;
    Hash hash;
    if (std::string problem = check_block(h, prev, header, hash); !problem.empty()) {
      return problem;
    }
    if (std::string problem = check_branches(h, header, hash, tips); !problem.empty()) {
      return problem;
    }
    prev = hash;
    if (progress && (h % 1000 == 0 || h == top)) progress(h, top);
  }
  // The hash index holds exactly the transactions of the blocks it says it holds.
  const Height indexed = indexed_height();
  SqlStatement count(
      db_,
      "SELECT (SELECT count(*) FROM tx_hash_index), (SELECT count(*) FROM txs "
      "WHERE height <= ?1), (SELECT count(*) FROM tx_hash_index i JOIN txs t "
      "ON t.height = i.height AND t.idx = i.idx AND substr(t.hash, 1, 8) = i.prefix)");
  count.bind(1, static_cast<std::int64_t>(indexed));
  count.step();
  if (indexed > top || count.column_int(0) != count.column_int(1) ||
      count.column_int(0) != count.column_int(2)) {
    return "the transaction hash index says it holds blocks 1.." + std::to_string(indexed) +
           " of " + std::to_string(top) + " with " + std::to_string(count.column_int(0)) +
           " entries (" + std::to_string(count.column_int(2)) +
           " of them matching a transaction) for " + std::to_string(count.column_int(1)) +
           " transactions";
  }
  return {};
}

}  // namespace pilemesh::ledger
