// `pilemesh ledger tx` and `pilemesh ledger history`: records with the Merkle proofs that tie
// each to its block's tx_root, checked here as any client could check them.
#include <iostream>

#include "ledger_actions.hpp"
#include "ledger_text.hpp"
#include "pilemesh/ledger/history.hpp"
#include "pilemesh/ledger/ledger_json.hpp"

namespace pilemesh::cli {
namespace {

using nlohmann::json;

void print_proof(const ledger::MerkleProof& proof) {
  row(std::cout, "index",
      std::to_string(proof.index) + " of " + std::to_string(proof.leaf_count) + " leaves");
  for (std::size_t i = 0; i < proof.path.size(); ++i) {
    row(std::cout, "path[" + std::to_string(i) + "]", proof.path[i].hex());
  }
}

// One line about a record of a pile's history.
std::string summary(const ledger::TxRecord& r) {
  std::string error;
  if (r.tx.type == ledger::TxType::kChargingRecord) {
    if (auto p = ledger::decode_charging(r.tx.payload, error)) {
      return std::to_string(p->energy_wh) + " Wh for EV " + p->ev.hex().substr(0, 12) + ", " +
             format_time_ms(p->started_ms) + " to " + format_time_ms(p->stopped_ms);
    }
  } else if (r.tx.type == ledger::TxType::kEvaluation) {
    if (auto p = ledger::decode_evaluation(r.tx.payload, error)) {
      return "score " + std::to_string(p->score) + " for charging " + short_hex(p->charging_tx) +
             " by EV " + r.tx.signer.hex().substr(0, 12);
    }
  }
  return std::string(ledger::tx_type_name(r.tx.type)) + (error.empty() ? "" : ": " + error);
}

}  // namespace

int run_tx(const LedgerArgs& args, const std::string& hash_hex) {
  const auto hash = ledger::Hash::from_hex(hash_hex);
  if (!hash) throw CommandError(kExitUsage, "tx: expected a hash of 64 hex digits");
  const LedgerPaths paths = resolve_paths(args);
  ledger::LedgerStore store = open_existing_ledger(paths);
  const ReadSnapshot snapshot(store);
  const ledger::BlockStore& blocks = store.blocks();
  const auto record = blocks.tx(*hash);
  if (!record) throw CommandError(kExitFailed, "no transaction " + hash->hex() + " in this ledger");
  const auto proof = blocks.tx_proof(*hash);
  const auto header = blocks.header(record->height);
  if (!proof || !header) {
    throw CommandError(kExitFailed, "block " + std::to_string(record->height) + " is missing");
  }
  const bool verifies = ledger::merkle_verify(*hash, *proof, header->tx_root);

  if (args.json) {
    json j = ledger::to_json(*record);
    j["proof"] = ledger::to_json(*proof);
    j["proof"]["tx_root"] = header->tx_root.hex();
    j["proof"]["verifies"] = verifies;
    std::cout << j.dump(2) << "\n";
    return verifies ? kExitOk : kExitFailed;
  }

  const json tx = ledger::to_json(record->tx);
  std::cout << "transaction " << hash->hex() << "\n";
  row(std::cout, "type",
      plain(tx["type"]) + " (" + std::to_string(static_cast<int>(record->tx.type)) + ")");
  row(std::cout, "chain id", record->tx.chain_id);
  row(std::cout, "signer", record->tx.signer.hex());
  row(std::cout, "nonce", std::to_string(record->tx.nonce));
  row(std::cout, "signature", ledger::to_hex(record->tx.signature.bytes));
  std::cout << "payload\n";
  for (const auto& [key, value] : tx["payload"].items()) row(std::cout, key, plain(value));
  std::cout << "in block " << record->height << " at index " << record->index << "\n";
  row(std::cout, "result", std::string(ledger::to_string(record->result.code)));
  if (!record->result.log.empty()) row(std::cout, "log", record->result.log);
  std::cout << "inclusion proof\n";
  print_proof(*proof);
  std::cout << "proof verifies against block " << record->height << "'s tx_root "
            << header->tx_root.hex() << ": " << yes_no(verifies) << "\n";
  return verifies ? kExitOk : kExitFailed;
}

int run_history(const LedgerArgs& args, const std::string& pile_id, const std::string& kind,
                std::size_t limit) {
  const ledger::Branch branch =
      kind == "evaluation" ? ledger::Branch::kEvaluation : ledger::Branch::kCharging;
  const LedgerPaths paths = resolve_paths(args);
  ledger::LedgerStore store = open_existing_ledger(paths);
  const ReadSnapshot snapshot(store);
  const ledger::LedgerApp app(store.state());
  if (!app.pile(pile_id))
    throw CommandError(kExitFailed, "no pile \"" + pile_id + "\" on the ledger");
  const auto records = ledger::history(app, store.blocks(), pile_id, branch, limit);

  bool all_verify = true;
  json list = json::array();
  for (const auto& h : records) {
    const bool verifies = ledger::merkle_verify(h.record.hash, h.proof, h.tx_root);
    all_verify = all_verify && verifies;
    if (args.json) {
      json j = ledger::to_json(h.record);
      j["summary"] = summary(h.record);
      j["proof"] = ledger::to_json(h.proof);
      j["proof"]["tx_root"] = h.tx_root.hex();
      j["proof"]["verifies"] = verifies;
      list.push_back(std::move(j));
    }
  }
  if (args.json) {
    std::cout << json{{"pile", pile_id}, {"kind", kind}, {"records", std::move(list)}}.dump(2)
              << "\n";
    return all_verify ? kExitOk : kExitFailed;
  }

  std::cout << kind << " history of pile " << pile_id << ": " << records.size()
            << (records.size() == 1 ? " record" : " records") << ", newest first\n";
  for (const auto& h : records) {
    const bool verifies = ledger::merkle_verify(h.record.hash, h.proof, h.tx_root);
    std::cout << "  height " << h.record.height << "  " << h.record.hash.hex() << "\n";
    std::cout << "    " << summary(h.record) << "\n"
              << "    proof verifies against block " << h.record.height
              << "'s tx_root: " << yes_no(verifies) << "\n";
  }
  return all_verify ? kExitOk : kExitFailed;
}

}  // namespace pilemesh::cli
