// `pilemesh reputation ...`: the pile reputation of the ledger (formula 2 of the architecture
// paper, in fixed point) outside any ledger, for checking its behaviour.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>

namespace pilemesh::cli {

class ReputationCommands {
 public:
  // Adds the `reputation` subcommand and its own subcommands to `app`.
  explicit ReputationCommands(CLI::App& app);

  bool parsed() const { return reputation_->parsed(); }
  // Runs the parsed subcommand; returns the exit status.
  int run() const;

 private:
  CLI::App* reputation_ = nullptr;
  CLI::App* simulate_ = nullptr;

  std::uint64_t seed_ = 1;
  std::size_t ratings_ = 180;
  std::int64_t rater_credibility_ = 0;
};

}  // namespace pilemesh::cli
