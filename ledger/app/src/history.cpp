#include "pilemesh/ledger/history.hpp"

#include <stdexcept>

namespace pilemesh::ledger {
namespace {

// The pointer to the same pile's previous record of the same kind.
Hash previous_of(const TxRecord& r, Branch kind) {
  std::string error;
  if (kind == Branch::kCharging) {
    auto p = decode_charging(r.tx.payload, error);
    if (!p) throw std::runtime_error("corrupt charging record " + r.hash.hex() + ": " + error);
    return p->prev_pile_charging;
  }
  auto p = decode_evaluation(r.tx.payload, error);
  if (!p) throw std::runtime_error("corrupt evaluation " + r.hash.hex() + ": " + error);
  return p->prev_pile_evaluation;
}

}  // namespace

std::vector<HistoryRecord> history(const LedgerApp& app, const BlockStore& blocks,
                                   std::string_view pile_id, Branch kind, std::size_t limit) {
  std::vector<HistoryRecord> out;
  if (kind != Branch::kCharging && kind != Branch::kEvaluation) return out;
  const auto pile = app.pile(pile_id);
  if (!pile) return out;
  Hash next = kind == Branch::kCharging ? pile->last_charging : pile->last_evaluation;
  while (!next.is_zero() && out.size() < limit) {
    auto record = blocks.tx(next);
    if (!record)
      throw std::runtime_error("history of pile " + std::string(pile_id) + ": record " +
                               next.hex() + " is missing");
    HistoryRecord h;
    h.proof = blocks.tx_proof(record->height, record->index).value();
    h.tx_root = blocks.header(record->height).value().tx_root;
    next = previous_of(*record, kind);
    h.record = std::move(*record);
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace pilemesh::ledger
