// A pile's history of one kind (Algorithm 1 of the shared-charging architecture, done by
// pointer): start at the pile's latest record of that kind, held in the state, and follow
// each record's back-pointer to the one before. The cost depends on how many records are
// asked for, not on the length of the chain: one indexed lookup per record, and a Merkle proof
// over that record's block only.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "pilemesh/ledger/block_store.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/merkle.hpp"

namespace pilemesh::ledger {

struct HistoryRecord {
  TxRecord record;
  MerkleProof proof;  // of record.hash against tx_root
  Hash tx_root;       // from the header of block record.height
};

// Newest first, at most `limit` records. `kind` is Branch::kCharging or Branch::kEvaluation;
// other kinds, and an unknown pile, give an empty history.
std::vector<HistoryRecord> history(const LedgerApp& app, const BlockStore& blocks,
                                   std::string_view pile_id, Branch kind, std::size_t limit);

}  // namespace pilemesh::ledger
