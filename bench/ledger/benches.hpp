// The parts of bench_ledger.
#pragma once

#include <cstddef>
#include <string>

#include "bench_node.hpp"

namespace pilemesh::ledger::bench {

// Ed25519 verifications of pre-signed transaction signing bytes per second, one core.
double verify_per_second();

struct ApplyFigures {
  double txs_per_second = 0;     // submit + produce, blocks of 500
  double produce_ms_median = 0;  // one block of 500 transfers, committed durably
};
// On one thread, or with the signatures pre-verified on `verify_threads` threads; on a fresh
// ledger named `name` in `dir`.
ApplyFigures apply_per_second(const BenchDir& dir, unsigned verify_threads,
                              const std::string& name);

// Builds a chain of `total_txs` signed transactions through the engine with one pile rated 50
// times along it, then times history() of that pile's evaluations; median milliseconds.
double history_ms(const BenchDir& dir, std::size_t total_txs);

}  // namespace pilemesh::ledger::bench
