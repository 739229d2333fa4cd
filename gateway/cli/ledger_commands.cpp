#include "ledger_commands.hpp"

#include <iostream>

#include "ledger_actions.hpp"

namespace pilemesh::cli {

LedgerCommands::LedgerCommands(CLI::App& app) {
  ledger_ = app.add_subcommand("ledger", "Inspect, prove and verify this gateway's ledger");
  ledger_->require_subcommand(1);

  keygen_ = add("keygen", "Create an Ed25519 account key file and print its public key");
  keygen_->add_option("--out", out_file_,
                      "Key file to create (never overwritten); default <data_dir>/node.key, "
                      "whose public key is printed if it exists");

  status_ = add("status", "Chain id, height, latest block, state root, validators");

  block_ = add("block", "A block's header, transactions and commit signatures");
  block_->add_option("height", height_, "Block height (1 is the first block)")->required();

  tx_ = add("tx", "A transaction, its result and its Merkle inclusion proof");
  tx_->add_option("hash", tx_hash_, "Transaction hash (64 hex digits)")->required();

  history_ = add("history", "A pile's charging or evaluation records, newest first, with proofs");
  history_->add_option("pile", pile_id_, "Pile id")->required();
  history_->add_option("--kind", kind_, "charging or evaluation")
      ->check(CLI::IsMember({"charging", "evaluation"}))
      ->capture_default_str();
  history_->add_option("--limit", limit_, "At most this many records")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();

  verify_ =
      add("verify", "Re-check the whole chain from genesis: links, roots, signatures, state roots");
}

CLI::App* LedgerCommands::add(const std::string& name, const std::string& description) {
  CLI::App* cmd = ledger_->add_subcommand(name, description);
  cmd->add_option("--data-dir", args_.data_dir, "Data directory; overrides gateway.data_dir");
  cmd->add_option("-c,--config", args_.config_file,
                  "Configuration file (TOML); default /etc/pilemesh/pilemesh.toml when neither "
                  "option is given");
  cmd->add_flag("--json", args_.json, "Print one JSON document for machines");
  return cmd;
}

int LedgerCommands::run() const {
  try {
    if (keygen_->parsed()) return run_keygen(args_, out_file_);
    if (status_->parsed()) return run_status(args_);
    if (block_->parsed()) return run_block(args_, height_);
    if (tx_->parsed()) return run_tx(args_, tx_hash_);
    if (history_->parsed()) return run_history(args_, pile_id_, kind_, limit_);
    if (verify_->parsed()) return run_verify(args_);
  } catch (const CommandError& e) {
    std::cerr << "pilemesh ledger: " << e.what() << "\n";
    return e.status();
  } catch (const std::exception& e) {
    // A store or decoding error: the ledger could not be read as it should.
    std::cerr << "pilemesh ledger: " << e.what() << "\n";
    return kExitFailed;
  }
  return kExitUsage;
}

}  // namespace pilemesh::cli
