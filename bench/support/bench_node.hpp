// What the C++ benchmarks (bench_ledger, bench_service) share: a folder on the build's disk,
// deterministic funded accounts, signed transactions, and a node (store, application, mempool,
// solo engine) on a real ledger.db, durable as in production.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "pilemesh/ledger/encoding.hpp"
#include "pilemesh/ledger/ledger_app.hpp"
#include "pilemesh/ledger/ledger_store.hpp"
#include "pilemesh/ledger/mempool.hpp"
#include "pilemesh/ledger/solo_engine.hpp"
#include "temp_dir.hpp"

namespace pilemesh::ledger::bench {

inline constexpr const char* kChain = "bench-chain";
inline constexpr std::int64_t kGenesisMs = 1'700'000'000'000;

// A fresh folder removed afterwards: under $PILEMESH_BENCH_DIR, else beside the build's bin/
// (the build's disk: a tmpfs would leave fsync out of the figures).
class BenchDir {
 public:
  // `name` prefixes the folder's name ("ledger-bench-XXXXXX").
  explicit BenchDir(const std::string& name = "ledger-bench");
  const std::filesystem::path& path() const { return dir_.path(); }
  // The file system's type, for the report ("ext4", "tmpfs", ...).
  std::string fs_type() const;

 private:
  pilemesh::test::TempDir dir_;
};

// Keys from their index: the same accounts in every run, distinct per `salt`.
std::vector<KeyPair> make_accounts(std::size_t n, std::uint8_t salt);
Genesis make_genesis(const KeyPair& validator, const std::vector<const KeyPair*>& funded);
Transaction sign_tx(const KeyPair& key, TxType type, std::uint64_t nonce, Bytes payload);
Transaction transfer(const KeyPair& from, std::uint64_t nonce, const PublicKey& to,
                     std::uint64_t amount);

struct Node {
  Node(const std::filesystem::path& file, const KeyPair& validator, const Genesis& genesis,
       SoloOptions solo, MempoolOptions pool);
  FileKeyStore key;
  LedgerStore store;
  LedgerApp app;
  Mempool mempool;
  SoloEngine engine;
  // Block times one second apart, so the chain is the same however fast it is built.
  std::optional<Height> produce() {
    return engine.produce(kGenesisMs + 1000 * static_cast<std::int64_t>(engine.height() + 1));
  }
};

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}
double median(std::vector<double> values);

// Each figure as `BENCH <name> <value> <unit>`; printed together at the end.
void record(const std::string& name, double value, const std::string& unit);
void print_records();

}  // namespace pilemesh::ledger::bench
