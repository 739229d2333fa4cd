// bench_service: the sharing service's figures (docs/benchmarks.md), printed last as
// `BENCH <name> <value> <unit>`.
//  - service.search_ms_10k_piles(_p99): search_piles over the read model of 10 000 verified,
//    priced piles, with live bookings and running sessions, for a realistic query;
//  - service.settle_per_s: stop-session transactions (the settlement) checked, executed and
//    committed durably per second, one thread.
// `bench_service <piles>` builds another number of piles (a multiple of 500) instead of 10 000.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <string>

#include "neighbourhood.hpp"
#include "pilemesh/gateway/pile_search.hpp"
#include "pilemesh/gateway/service_directory.hpp"

namespace pilemesh::ledger::bench {
namespace {

constexpr std::size_t kSessionsPerMember = 20;  // settled: members × this, in blocks of members
constexpr std::size_t kEveningPerMember = 5;    // bookings left waiting in the evening
constexpr std::size_t kSearchWarmup = 50;
constexpr std::size_t kSearchRuns = 1001;

double percentile(std::vector<double> values, double p) {
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

struct Session {
  std::size_t pile = 0;  // index into Neighbourhood::piles()
  std::size_t member = 0;
  std::string token;
  Hash booking;
};

// Members book: `sessions[j][m]` is member m's j-th slot, 16:00 to 18:00 on Monday, each on
// its own always-open pile; plus a few evening slots that stay booked. Then the piles' gateways
// start every 16:00 session with the member's token.
std::vector<std::vector<Session>> book_and_start(Neighbourhood& n) {
  std::vector<std::size_t> open;
  for (std::size_t i = 0; i < n.piles().size(); ++i)
    if (n.piles()[i].always_open) open.push_back(i);
  const std::size_t members = n.members().size();
  const std::size_t sessions = members * kSessionsPerMember;
  const std::size_t evening = members * kEveningPerMember;
  if (open.size() < sessions + evening) throw std::runtime_error("too few always-open piles");

  n.set_clock(kMonday + 15 * kHour);
  std::vector<std::vector<Session>> out(kSessionsPerMember);
  std::vector<Transaction> books;
  for (std::size_t j = 0; j < kSessionsPerMember; ++j) {
    for (std::size_t m = 0; m < members; ++m) {
      Session s{open[j * members + m], m, "qr-" + std::to_string(j) + "-" + std::to_string(m), {}};
      books.push_back(n.make(n.members()[m], TxType::kBook,
                             BookPayload{n.piles()[s.pile].id, kMonday + 16 * kHour,
                                         kMonday + 18 * kHour, sha256(s.token), 1'000'000}));
      s.booking = hash_of(books.back());
      out[j].push_back(std::move(s));
    }
  }
  for (std::size_t k = 0; k < evening; ++k) {
    const std::int64_t start = kMonday + 18 * kHour + static_cast<std::int64_t>(k % 4) * 15 * kMinute;
    books.push_back(n.make(n.members()[k % members], TxType::kBook,
                           BookPayload{n.piles()[open[sessions + k]].id, start, start + kHour,
                                       sha256("evening-" + std::to_string(k)), 1'000'000}));
  }
  n.commit(books);

  n.set_clock(kMonday + 16 * kHour);
  std::vector<Transaction> starts;
  for (const auto& block : out) {
    for (const Session& s : block) {
      const BenchPile& pile = n.piles()[s.pile];
      starts.push_back(n.make(n.owners()[pile.owner], TxType::kStartSession,
                              StartSessionPayload{s.booking, s.token, 1'000'000 + s.pile * 10}));
    }
  }
  n.commit(starts);
  return out;
}

struct SearchFigures {
  double median_ms = 0;
  double p99_ms = 0;
};

// A neighbour looking for a Type 2 connector of at least 11 kW within 5 km, free from 18:00 to
// 19:00 this evening, at most 0.40 per kWh; asked at 17:00, from one of a few places in town.
SearchFigures search(Neighbourhood& n) {
  const auto load_start = Clock::now();
  const gateway::ServiceDirectory directory(n.node().store.state());
  const double load_s = seconds_since(load_start);
  const std::size_t offered = static_cast<std::size_t>(
      std::count_if(directory.piles().begin(), directory.piles().end(), [](const auto& p) {
        return p.second.info.status == MemberStatus::kVerified && p.second.info.has_tariff;
      }));
  if (offered != n.piles().size()) throw std::runtime_error("not every pile is verified and priced");

  const char* places[] = {"u33dc1", "u33d9q", "u33dbe", "u33df0",
                          "u33d8x", "u33dcu", "u33de2", "u33d3z"};
  gateway::PileQuery q;
  q.max_distance_m = 5000;
  q.connector = ConnectorType::kType2;
  q.min_power_w = 11'000;
  q.from_ms = kMonday + 18 * kHour;
  q.to_ms = kMonday + 19 * kHour;
  q.max_price_per_kwh = 40;
  const std::int64_t now = kMonday + 17 * kHour;
  std::vector<double> ms;
  std::size_t hits = 0;
  for (std::size_t i = 0; i < kSearchWarmup + kSearchRuns; ++i) {
    q.near = gateway::geohash_center(places[i % std::size(places)]);
    const auto start = Clock::now();
    const auto found = gateway::search_piles(directory, q, now, 0);
    const double elapsed = seconds_since(start) * 1000;
    if (i >= kSearchWarmup) ms.push_back(elapsed);
    hits += found.size();
    if (found.empty()) throw std::runtime_error("the search found nothing");
  }
  std::printf(
      "search: read model of %zu piles, %zu bookings loaded in %.2f s; %zu runs, %.1f hits "
      "each on average (limit %zu)\n",
      directory.piles().size(), directory.bookings().size(), load_s, kSearchRuns,
      static_cast<double>(hits) / static_cast<double>(kSearchWarmup + kSearchRuns), q.limit);
  return {median(ms), percentile(ms, 0.99)};
}

// Every running session is stopped by its pile's gateway, pre-signed (signing is the gateways'
// work): one block per j, one stop per member in it, each pointing back at the member's
// previous charging record. Timed: submit (check_tx, signature) and produce (execution,
// settlement, state root, block, durable commit) of all of them.
double settle_per_second(Neighbourhood& n, const std::vector<std::vector<Session>>& sessions) {
  n.set_clock(kMonday + 17 * kHour);
  std::vector<Hash> last_ev(n.members().size());
  std::vector<std::vector<Transaction>> blocks;
  for (const auto& block : sessions) {
    blocks.emplace_back();
    for (const Session& s : block) {
      const BenchPile& pile = n.piles()[s.pile];
      StopSessionPayload stop;
      stop.booking = s.booking;
      stop.meter_stop_wh = 1'000'000 + s.pile * 10 + 1500 + (s.pile % 2000);  // at most 3.5 kWh
      stop.meter_chain_hash = sha256("meter-" + s.token);
      stop.meter_values = 60;
      stop.reason = StopReason::kByUser;
      stop.prev_pile_charging = Hash{};  // each pile's first session
      stop.prev_ev_charging = last_ev[s.member];
      blocks.back().push_back(n.make(n.owners()[pile.owner], TxType::kStopSession, stop));
      last_ev[s.member] = hash_of(blocks.back().back());
    }
  }
  std::vector<double> produce_ms;
  std::size_t stops = 0;
  const auto start = Clock::now();
  for (const auto& block : blocks) {
    for (const Transaction& tx : block) n.submit(tx);
    const auto produce_start = Clock::now();
    n.produce();
    produce_ms.push_back(seconds_since(produce_start) * 1000);
    stops += block.size();
  }
  const double elapsed = seconds_since(start);
  if (n.node().mempool.size() != 0) throw std::runtime_error("stops left in the mempool");
  for (const auto& block : blocks) {
    for (const Transaction& tx : block) {
      const auto record = n.node().store.blocks().tx(hash_of(tx));
      if (!record || !record->result.ok())
        throw std::runtime_error("a stop failed: " + (record ? record->result.log : "missing"));
    }
  }
  std::printf("settle: %zu stops in %zu blocks of %zu in %.2f s; produce median %.1f ms a block\n",
              stops, blocks.size(), blocks.front().size(), elapsed, median(produce_ms));
  return static_cast<double>(stops) / elapsed;
}

}  // namespace
}  // namespace pilemesh::ledger::bench

int main(int argc, char** argv) {
  using namespace pilemesh::ledger::bench;
  try {
    NeighbourhoodSize size;
    if (argc > 1) size.owners = std::stoul(argv[1]) / size.piles_per_owner;
    BenchDir dir("service-bench");
    std::printf("ledger database in %s (%s)\n", dir.path().c_str(), dir.fs_type().c_str());
    std::fflush(stdout);

    const auto build_start = Clock::now();
    Neighbourhood n(dir.path() / "ledger.db", size);
    const auto sessions = book_and_start(n);
    std::printf(
        "built: %zu owners, %zu piles, %zu members, %zu sessions running, height %llu, in "
        "%.1f s\n",
        n.owners().size(), n.piles().size(), n.members().size(),
        sessions.size() * n.members().size(),
        static_cast<unsigned long long>(n.node().engine.height()), seconds_since(build_start));
    std::fflush(stdout);

    const SearchFigures s = search(n);
    const std::string piles = n.piles().size() % 1000 == 0
                                  ? std::to_string(n.piles().size() / 1000) + "k"
                                  : std::to_string(n.piles().size());
    record("service.search_ms_" + piles + "_piles", s.median_ms, "ms");
    record("service.search_ms_" + piles + "_piles_p99", s.p99_ms, "ms");
    std::fflush(stdout);
    record("service.settle_per_s", settle_per_second(n, sessions), "1/s");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_service: %s\n", e.what());
    print_records();
    return 1;
  }
  print_records();
}
