// What every `pilemesh ledger` command shares: where the ledger is (data dir and genesis, from
// the options or the configuration, as the daemon finds them), opening it without creating or
// changing anything, and the exit statuses.
#pragma once

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "pilemesh/ledger/genesis.hpp"
#include "pilemesh/ledger/ledger_store.hpp"

namespace pilemesh::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;  // the ledger is missing, unreadable or fails a check
inline constexpr int kExitUsage = 2;   // bad arguments or configuration

// Ends a command: its message goes to stderr and its status becomes the exit status.
class CommandError : public std::runtime_error {
 public:
  CommandError(int status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// The options every ledger command takes.
struct LedgerArgs {
  std::string data_dir;     // --data-dir; overrides the configuration's gateway.data_dir
  std::string config_file;  // --config
  bool json = false;        // --json: one JSON document on stdout instead of text
};

struct LedgerPaths {
  std::filesystem::path data_dir;
  std::filesystem::path genesis_file;  // ledger.genesis, else <data_dir>/genesis.json
  std::filesystem::path ledger_file() const { return data_dir / "ledger.db"; }
  std::filesystem::path node_key_file() const { return data_dir / "node.key"; }
};

// Throws CommandError(kExitUsage) when the configuration is invalid or no data dir is known.
LedgerPaths resolve_paths(const LedgerArgs& args);

// Opens an existing ledger.db. Never creates one: a missing file is CommandError(kExitFailed)
// with a hint, as is a file that cannot be opened.
ledger::LedgerStore open_existing_ledger(const LedgerPaths& paths);

// Reads the genesis file; CommandError(kExitUsage) naming the file and field when it cannot.
ledger::Genesis read_genesis(const LedgerPaths& paths);

// Whether `genesis` is the one the ledger was made with (nullopt when the ledger does not say).
std::optional<bool> genesis_matches(const ledger::LedgerStore& store,
                                    const ledger::Genesis& genesis);

// A read transaction over the ledger: every query inside sees the same committed state while
// the daemon goes on writing (WAL), and no write lock is ever taken.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(ledger::LedgerStore& store);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

 private:
  ledger::LedgerStore& store_;
};

// "2023-11-14T22:13:20.000Z" for a Unix time in milliseconds.
std::string format_time_ms(std::int64_t ms);

}  // namespace pilemesh::cli
