// A demo neighbourhood for `make run`: a chain that begins some weeks ago, with neighbours,
// three piles with tariffs (this gateway's configured pile and two of a neighbour's), and the
// sessions, payments, ratings, reviews and answers of those weeks — so that search, bookings,
// wallets and the analytics have something to show on the first click. Built through the same
// LedgerNode and contracts as everything else, with block times in the past; the daemon then
// carries on from it. Demo keys come from fixed seeds: they are for a demo only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace pilemesh::gateway {

struct DemoOptions {
  std::filesystem::path data_dir;  // must hold no ledger yet
  std::string pile_id = "pile-1";  // this gateway's pile, as configured
  std::string location = "u33dc1";
  std::string address;  // sealed to the gateway's key, as the daemon does
  std::int64_t now_ms = 0;
  int days = 28;
  // More of Frank's piles, priced, in the cells around (for load tests of search); no history.
  std::size_t extra_piles = 0;
};

struct DemoMember {
  std::string name;
  std::string key_hex;
  std::filesystem::path key_file;  // <data_dir>/demo-keys/<name>.key, for logging in
};

struct DemoSummary {
  std::uint64_t blocks = 0;
  std::uint64_t sessions = 0;
  std::uint64_t ratings = 0;
  std::vector<DemoMember> members;
};

// Builds the demo chain in `options.data_dir`. Throws std::runtime_error when the folder
// already holds a ledger (nothing is changed then) or a step is refused by the contracts.
DemoSummary seed_demo_neighbourhood(const DemoOptions& options);

}  // namespace pilemesh::gateway
