// bench_ledger: the ledger's figures (docs/benchmarks.md), printed last as
// `BENCH <name> <value> <unit>`. `bench_ledger <n>` builds the long chain of the history
// benchmark with n transactions instead of 10^6.
#include <cstdio>
#include <exception>
#include <string>

#include "bench_node.hpp"
#include "benches.hpp"

namespace {

std::string history_name(std::size_t txs) {
  if (txs % 1'000'000 == 0) return std::to_string(txs / 1'000'000) + "m";
  if (txs % 1000 == 0) return std::to_string(txs / 1000) + "k";
  return std::to_string(txs);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pilemesh::ledger::bench;
  try {
    const std::size_t long_chain = argc > 1 ? std::stoul(argv[1]) : 1'000'000;
    BenchDir dir;
    std::printf("ledger databases in %s (%s)\n", dir.path().c_str(), dir.fs_type().c_str());
    std::fflush(stdout);

    const double verify = verify_per_second();
    record("ledger.ed25519_verify_per_s", verify, "1/s");
    const ApplyFigures apply = apply_per_second(dir, 1);
    record("ledger.apply_tx_per_s", apply.txs_per_second, "1/s");
    record("ledger.apply_vs_verify_ratio", apply.txs_per_second / verify, "x");
    record("ledger.commit_fsync_ms", apply.produce_ms_median, "ms");
    const ApplyFigures apply2 = apply_per_second(dir, 2);
    record("ledger.apply_tx_per_s_2threads", apply2.txs_per_second, "1/s");
    record("ledger.apply_vs_verify_ratio_2threads", apply2.txs_per_second / verify, "x");
    std::fflush(stdout);

    const double short_ms = history_ms(dir, 10'000);
    std::fflush(stdout);
    const double long_ms = history_ms(dir, long_chain);
    const std::string name = history_name(long_chain);
    record("ledger.history_ms_10k", short_ms, "ms");
    record("ledger.history_ms_" + name, long_ms, "ms");
    record("ledger.history_ratio_" + name + "_over_10k", long_ms / short_ms, "x");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_ledger: %s\n", e.what());
    print_records();
    return 1;
  }
  print_records();
}
