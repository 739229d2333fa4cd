// The `pilemesh ledger` subcommands. Each returns the exit status or throws CommandError.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ledger_context.hpp"

namespace pilemesh::cli {

int run_keygen(const LedgerArgs& args, const std::string& out_file);
int run_status(const LedgerArgs& args);
int run_block(const LedgerArgs& args, std::uint64_t height);
int run_tx(const LedgerArgs& args, const std::string& hash_hex);
int run_history(const LedgerArgs& args, const std::string& pile_id, const std::string& kind,
                std::size_t limit);
int run_verify(const LedgerArgs& args);

}  // namespace pilemesh::cli
