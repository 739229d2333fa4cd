// `pilemesh ledger ...`: read, prove and verify this gateway's copy of the neighbourhood ledger
// from its data directory, beside a running daemon or without one.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger_context.hpp"

namespace pilemesh::cli {

class LedgerCommands {
 public:
  // Adds the `ledger` subcommand and its own subcommands to `app`.
  explicit LedgerCommands(CLI::App& app);

  bool parsed() const { return ledger_->parsed(); }
  // Runs the parsed subcommand; returns the exit status.
  int run() const;

 private:
  CLI::App* add(const std::string& name, const std::string& description);

  CLI::App* ledger_ = nullptr;
  CLI::App* keygen_ = nullptr;
  CLI::App* status_ = nullptr;
  CLI::App* block_ = nullptr;
  CLI::App* tx_ = nullptr;
  CLI::App* history_ = nullptr;
  CLI::App* verify_ = nullptr;

  LedgerArgs args_;
  std::string out_file_;
  std::uint64_t height_ = 0;
  std::string tx_hash_;
  std::string pile_id_;
  std::string kind_ = "charging";
  std::size_t limit_ = 20;
};

}  // namespace pilemesh::cli
