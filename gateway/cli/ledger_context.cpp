#include "ledger_context.hpp"

#include <ctime>
#include <iostream>
#include <sstream>

#include "pilemesh/config/config.hpp"
#include "pilemesh/ledger/ledger_node.hpp"

namespace pilemesh::cli {
namespace {

// Where the daemon looks when it is given no --config.
constexpr const char* kDefaultConfig = "/etc/pilemesh/pilemesh.toml";

}  // namespace

LedgerPaths resolve_paths(const LedgerArgs& args) {
  std::string config_file = args.config_file;
  // Without either option, read the daemon's own configuration if this machine has one.
  if (config_file.empty() && args.data_dir.empty() && std::filesystem::exists(kDefaultConfig)) {
    config_file = kDefaultConfig;
  }
  if (config_file.empty() && args.data_dir.empty()) {
    throw CommandError(kExitUsage, "no ledger given: use --data-dir DIR or --config FILE");
  }
  LedgerPaths paths;
  std::filesystem::path genesis;
  if (!config_file.empty()) {
    const config::LoadResult loaded = config::load_file(config_file);
    if (!loaded.errors.empty()) {
      for (const auto& e : loaded.errors) std::cerr << e.to_string() << "\n";
      throw CommandError(kExitUsage, "invalid configuration " + config_file +
                                         "; see `pilemesh config check " + config_file + "`");
    }
    paths.data_dir = loaded.config->gateway.data_dir;
    genesis = loaded.config->ledger.genesis;
  }
  if (!args.data_dir.empty()) paths.data_dir = std::filesystem::absolute(args.data_dir);
  paths.genesis_file = genesis.empty() ? paths.data_dir / "genesis.json" : genesis;
  return paths;
}

ledger::LedgerStore open_existing_ledger(const LedgerPaths& paths) {
  const auto file = paths.ledger_file();
  std::error_code ec;
  // LedgerStore::open would create an empty ledger; a mistyped path must not leave one behind.
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw CommandError(kExitFailed, "no ledger in " + paths.data_dir.string() +
                                        " (start pilemeshd once, or check --data-dir)");
  }
  try {
    return ledger::LedgerStore::open(file);
  } catch (const std::exception& e) {
    throw CommandError(kExitFailed, e.what());
  }
}

ledger::Genesis read_genesis(const LedgerPaths& paths) {
  try {
    return ledger::load_genesis(paths.genesis_file);
  } catch (const std::exception& e) {
    throw CommandError(kExitUsage, e.what());
  }
}

std::optional<bool> genesis_matches(const ledger::LedgerStore& store,
                                    const ledger::Genesis& genesis) {
  const auto stored = store.meta("genesis_hash");
  if (!stored) return std::nullopt;
  const ledger::Hash id = ledger::genesis_hash(genesis);
  return ledger::Bytes(id.bytes.begin(), id.bytes.end()) == *stored;
}

ReadSnapshot::ReadSnapshot(ledger::LedgerStore& store) : store_(store) {
  // A deferred transaction that only reads holds a WAL read mark, never the write lock.
  store_.db().exec("BEGIN DEFERRED;");
}

ReadSnapshot::~ReadSnapshot() {
  try {
    store_.db().exec("COMMIT;");
  } catch (const std::exception&) {
    // Nothing was written; closing the connection ends the transaction anyway.
  }
}

std::string format_time_ms(std::int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  const int millis = static_cast<int>(ms % 1000);
  std::tm utc{};
  if (ms < 0 || gmtime_r(&seconds, &utc) == nullptr) return std::to_string(ms) + " ms";
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &utc);
  std::ostringstream out;
  out << text << '.' << (millis < 100 ? (millis < 10 ? "00" : "0") : "") << millis << 'Z';
  return out.str();
}

}  // namespace pilemesh::cli
