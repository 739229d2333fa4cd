// Blocks with the shared-charging structure: besides the chain of all blocks, the blocks that
// hold records of one branch (identity, charging, evaluation, market) form a chain of their own
// through each header's branch links, so one kind of record is walked without reading the rest.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pilemesh/ledger/hash.hpp"
#include "pilemesh/ledger/keys.hpp"
#include "pilemesh/ledger/transaction.hpp"

namespace pilemesh::ledger {

enum class Branch : std::uint8_t { kIdentity = 1, kCharging = 2, kEvaluation = 3, kMarket = 4 };

inline constexpr std::size_t kMaxTxsPerBlock = 10000;
inline constexpr std::size_t kMaxSignaturesPerCommit = 256;

// For one branch the block contains: that branch's own height (1 for its first block) and the
// hash of the previous block containing the branch (zero for the first).
struct BranchLink {
  Branch branch = Branch::kIdentity;
  Height branch_height = 0;
  Hash prev_branch_block;
  auto operator<=>(const BranchLink&) const = default;
};

struct BlockHeader {
  static constexpr std::uint8_t kVersion = 1;
  std::string chain_id;
  Height height = 0;         // genesis state is height 0; the first block is 1
  std::int64_t time_ms = 0;  // block time (Unix ms), chosen by the proposer; never the local clock
  Hash prev_block;           // zero for block 1
  std::vector<BranchLink> branches;  // sorted by branch; one per branch present
  Hash tx_root;                      // Merkle root of the transaction hashes
  Hash state_root;                   // application state root after executing this block
  PublicKey proposer;
  Hash validators_hash;   // hash of the validator set that signs this block
  Hash last_commit_hash;  // hash of the previous block's commit carried in this block
};

// A validator's signature of a block (a precommit vote).
struct Vote {
  static constexpr std::uint8_t kVersion = 1;
  std::string chain_id;
  Height height = 0;
  std::uint32_t round = 0;
  Hash block_hash;
  PublicKey validator;
  Signature signature;  // over the vote's signing bytes
};

struct CommitSignature {
  PublicKey validator;
  Signature signature;
};

// The signatures that committed block `height`: carried by the next block, and stored with
// the block itself as soon as it is committed.
struct Commit {
  Height height = 0;
  std::uint32_t round = 0;
  Hash block_hash;
  std::vector<CommitSignature> signatures;
};

struct Block {
  BlockHeader header;
  std::vector<Transaction> txs;
  Commit last_commit;  // empty for block 1
};

}  // namespace pilemesh::ledger
