// `pilemesh ledger status` and `pilemesh ledger block`.
#include <iostream>

#include "ledger_actions.hpp"
#include "ledger_text.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/ledger_json.hpp"

namespace pilemesh::cli {
namespace {

using nlohmann::json;

constexpr const char* kMempoolNote =
    "the mempool lives in the running pilemeshd; this tool reads only committed blocks";

std::uint64_t count_txs(ledger::LedgerStore& store) {
  // The block store keeps no running total; counting its index is cheap enough for a status.
  auto q = store.db().prepare("SELECT count(*) FROM txs;");
  q.step();
  return static_cast<std::uint64_t>(q.column_int(0));
}

}  // namespace

int run_status(const LedgerArgs& args) {
  const LedgerPaths paths = resolve_paths(args);
  ledger::LedgerStore store = open_existing_ledger(paths);
  const ReadSnapshot snapshot(store);
  const ledger::LedgerApp app(store.state());
  const ledger::BlockStore& blocks = store.blocks();
  const ledger::Height height = blocks.height();
  const auto header = height > 0 ? blocks.header(height) : std::nullopt;
  const auto hash = height > 0 ? blocks.block_hash(height) : std::nullopt;
  const ledger::Hash state_root = store.state().root();
  const std::uint64_t txs = count_txs(store);

  // The validators are in the genesis only; a missing genesis still leaves a useful status.
  std::optional<ledger::Genesis> genesis;
  std::optional<bool> matches;
  std::string genesis_error;
  try {
    genesis = read_genesis(paths);
    matches = genesis_matches(store, *genesis);
  } catch (const CommandError& e) {
    genesis_error = e.what();
  }

  if (args.json) {
    json j{{"chain_id", app.chain_id()},
           {"height", height},
           {"state_root", state_root.hex()},
           {"txs", txs},
           {"mempool", {{"txs", 0}, {"note", kMempoolNote}}},
           {"data_dir", paths.data_dir.string()}};
    j["latest_block"] =
        header && hash ? json{{"hash", hash->hex()}, {"time_ms", header->time_ms}} : json(nullptr);
    json validators = json::array();
    if (genesis) {
      for (const auto& v : genesis->validators) validators.push_back(v.hex());
    }
    j["validators"] = genesis ? validators : json(nullptr);
    j["genesis"] = {{"file", paths.genesis_file.string()},
                    {"matches", matches ? json(*matches) : json(nullptr)}};
    if (!genesis_error.empty()) j["genesis"]["error"] = genesis_error;
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }

  std::cout << "ledger in " << paths.data_dir.string() << "\n";
  row(std::cout, "chain id", app.chain_id());
  row(std::cout, "height", std::to_string(height));
  if (header && hash) {
    row(std::cout, "latest block", hash->hex());
    row(std::cout, "block time",
        format_time_ms(header->time_ms) + " (" + std::to_string(header->time_ms) + ")");
  } else {
    row(std::cout, "latest block", "none yet (genesis state only)");
  }
  row(std::cout, "state root", state_root.hex());
  row(std::cout, "transactions", std::to_string(txs));
  row(std::cout, "mempool", std::string("0 here: ") + kMempoolNote);
  if (genesis) {
    row(std::cout, "validators", std::to_string(genesis->validators.size()));
    for (const auto& v : genesis->validators) row(std::cout, "", v.hex());
    row(std::cout, "genesis",
        paths.genesis_file.string() + (!matches   ? ""
                                       : *matches ? " (this ledger's)"
                                                  : " (NOT this ledger's genesis)"));
  } else {
    row(std::cout, "validators", "unknown: " + genesis_error);
  }
  return kExitOk;
}

int run_block(const LedgerArgs& args, std::uint64_t height) {
  const LedgerPaths paths = resolve_paths(args);
  ledger::LedgerStore store = open_existing_ledger(paths);
  const ReadSnapshot snapshot(store);
  const ledger::BlockStore& blocks = store.blocks();
  const auto header = height > 0 ? blocks.header(height) : std::nullopt;
  const auto hash = height > 0 ? blocks.block_hash(height) : std::nullopt;
  if (!header || !hash) {
    throw CommandError(kExitFailed, "no block " + std::to_string(height) + "; blocks are 1.." +
                                        std::to_string(blocks.height()));
  }
  std::vector<ledger::TxRecord> records;
  for (const ledger::Hash& h : blocks.tx_hashes(height)) {
    auto record = blocks.tx(h);
    if (!record) throw CommandError(kExitFailed, "transaction " + h.hex() + " is missing");
    records.push_back(std::move(*record));
  }
  const auto commit = blocks.commit(height);

  if (args.json) {
    json txs = json::array();
    for (const auto& r : records) txs.push_back(ledger::to_json(r));
    json j{{"header", ledger::to_json(*header, *hash)}, {"transactions", std::move(txs)}};
    j["commit"] = commit ? ledger::to_json(*commit) : json(nullptr);
    std::cout << j.dump(2) << "\n";
    return kExitOk;
  }

  std::cout << "block " << height << "\n";
  row(std::cout, "hash", hash->hex());
  row(std::cout, "chain id", header->chain_id);
  row(std::cout, "time",
      format_time_ms(header->time_ms) + " (" + std::to_string(header->time_ms) + ")");
  row(std::cout, "prev block", hash_or_none(header->prev_block));
  if (header->branches.empty()) row(std::cout, "branches", "none");
  for (const auto& link : header->branches) {
    row(std::cout, "branch",
        std::string(ledger::branch_name(link.branch)) + " height " +
            std::to_string(link.branch_height) + ", prev branch block " +
            hash_or_none(link.prev_branch_block));
  }
  row(std::cout, "tx root", header->tx_root.hex());
  row(std::cout, "state root", header->state_root.hex());
  row(std::cout, "proposer", header->proposer.hex());
  row(std::cout, "validators hash", header->validators_hash.hex());
  row(std::cout, "last commit hash", hash_or_none(header->last_commit_hash));
  std::cout << "transactions (" << records.size() << ")\n";
  for (const auto& r : records) {
    std::cout << "  " << r.index << "  " << r.hash.hex() << "  " << ledger::tx_type_name(r.tx.type)
              << "\n";
    row(std::cout, "signer", r.tx.signer.hex(), 6);
    row(std::cout, "nonce", std::to_string(r.tx.nonce), 6);
    row(std::cout, "result",
        std::string(ledger::to_string(r.result.code)) + (r.result.log.empty() ? "" : ": ") +
            r.result.log,
        6);
  }
  if (commit) {
    std::cout << "commit signatures (" << commit->signatures.size() << ", round " << commit->round
              << ")\n";
    for (const auto& s : commit->signatures) {
      row(std::cout, "validator", s.validator.hex(), 4);
      row(std::cout, "signature", ledger::to_hex(s.signature.bytes), 4);
    }
  } else {
    std::cout << "commit signatures: missing\n";
  }
  return kExitOk;
}

}  // namespace pilemesh::cli
