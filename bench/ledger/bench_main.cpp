// bench_ledger: the ledger's figures (docs/benchmarks.md), printed last as
// `BENCH <name> <value> <unit>`. `bench_ledger <n>` builds the long chain of the history
// benchmark with n transactions instead of 10^6.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

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

    // The machines are shared and noisy: the throughput figures come from kRounds rounds, each
    // timing one core's verifications right before the two runs they bound; a figure is the
    // median of its rounds, a ratio the median of the rounds' ratios.
    constexpr int kRounds = 3;
    std::vector<double> verify, apply1, ratio1, commit_ms, apply2, ratio2;
    for (int round = 1; round <= kRounds; ++round) {
      const std::string suffix = "-round" + std::to_string(round);
      verify.push_back(verify_per_second());
      const ApplyFigures one = apply_per_second(dir, 1, "apply-1thread" + suffix);
      const ApplyFigures two = apply_per_second(dir, 2, "apply-2threads" + suffix);
      apply1.push_back(one.txs_per_second);
      ratio1.push_back(one.txs_per_second / verify.back());
      commit_ms.push_back(one.produce_ms_median);
      apply2.push_back(two.txs_per_second);
      ratio2.push_back(two.txs_per_second / verify.back());
      std::printf(
          "round %d: verify %.0f/s; one thread %.0f/s (x%.3f); two threads %.0f/s (x%.3f)\n", round,
          verify.back(), apply1.back(), ratio1.back(), apply2.back(), ratio2.back());
      std::fflush(stdout);
    }
    record("ledger.ed25519_verify_per_s", median(verify), "1/s");
    record("ledger.apply_tx_per_s", median(apply1), "1/s");
    record("ledger.apply_vs_verify_ratio", median(ratio1), "x");
    record("ledger.commit_fsync_ms", median(commit_ms), "ms");
    record("ledger.apply_tx_per_s_2threads", median(apply2), "1/s");
    record("ledger.apply_vs_verify_ratio_2threads", median(ratio2), "x");

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
