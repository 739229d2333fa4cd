#include "pilemesh/ledger/reputation_experiment.hpp"

#include <algorithm>
#include <bit>

namespace pilemesh::ledger {

namespace {

__extension__ typedef __int128 Wide;  // 18-decimal values and their exact products

constexpr Wide kOne = 1'000'000'000'000'000'000;    // 1 with 18 decimals
constexpr Wide kLn2 = 693'147'180'559'945'309;      // ln 2
constexpr Wide kTwoPi = 6'283'185'307'179'586'477;  // 2π
constexpr int kBits = 53;                           // bits of each uniform

// ln(a / 2^53) for a in 1..2^53: a = m·2^k with m in [1/2, 1), ln m = 2·atanh((m-1)/(m+1)), whose
// series in t² (t in [-1/3, 0)) is below the last decimal after 30 terms.
Wide ln_of_uniform(std::uint64_t a) {
  if (a >= std::uint64_t{1} << kBits) return 0;  // ln 1, exactly
  const int k = std::bit_width(a);
  const Wide m = (Wide(a) * kOne) >> k;
  const Wide t = (m - kOne) * kOne / (m + kOne);
  const Wide t2 = t * t / kOne;
  Wide power = t, sum = 0;
  for (int j = 0; j < 30; ++j) {
    sum += power / (2 * j + 1);
    power = power * t2 / kOne;
  }
  return 2 * sum + (k - kBits) * kLn2;
}

// The integer square root (floor) of x (0 for x <= 0), by Newton's method from a power of two
// above it.
Wide isqrt(Wide x) {
  if (x <= 0) return 0;
  int bits = 0;
  for (Wide y = x; y > 0; y >>= 1) ++bits;
  Wide r = Wide(1) << ((bits + 1) / 2);
  for (;;) {
    const Wide next = (r + x / r) / 2;
    if (next >= r) return r;
    r = next;
  }
}

// cos(2π·b / 2^53) for b in 0..2^53-1: folded onto [0, π/2], then its Taylor series.
Wide cos_of_turn(std::uint64_t b) {
  constexpr std::uint64_t kHalf = std::uint64_t{1} << (kBits - 1), kQuarter = kHalf / 2;
  if (b > kHalf) b = 2 * kHalf - b;  // cos(2π(1 - q)) = cos(2πq)
  bool negate = false;
  if (b > kQuarter) {  // cos(2π(1/2 - q)) = -cos(2πq)
    b = kHalf - b;
    negate = true;
  }
  const Wide x = kTwoPi * ((Wide(b) * kOne) >> kBits) / kOne;  // in [0, π/2]
  const Wide x2 = x * x / kOne;
  Wide term = kOne, sum = kOne;
  for (int n = 1; n <= 20; ++n) {
    term = -term * x2 / kOne / ((2 * n - 1) * (2 * n));
    sum += term;
  }
  return negate ? -sum : sum;
}

}  // namespace

Fixed RatingSampler::standard_normal() {
  // Box-Muller: z = sqrt(-2 ln u1) · cos(2π u2), u1 in (0, 1] and u2 in [0, 1) from 53 bits each.
  const std::uint64_t a = (rng_() >> (64 - kBits)) + 1;
  const std::uint64_t b = rng_() >> (64 - kBits);
  const Wide radius = isqrt(-2 * ln_of_uniform(a) * kOne);  // at most sqrt(2·53·ln 2) < 9
  const Wide z = radius * cos_of_turn(b) / kOne;
  constexpr Wide kToFixed = kOne / kFixedOne;
  return static_cast<Fixed>((z >= 0 ? z + kToFixed / 2 : z - kToFixed / 2) / kToFixed);
}

std::int64_t RatingSampler::next(Fixed mean, Fixed sd, std::int64_t d) {
  const Fixed sample = mean + sd * standard_normal() / kFixedOne;
  const Fixed half = kFixedOne / 2;
  const std::int64_t rounded =
      sample >= 0 ? (sample + half) / kFixedOne : -((-sample + half) / kFixedOne);
  return std::clamp<std::int64_t>(rounded, 1, d);
}

std::vector<std::array<Fixed, kExperimentPiles>> run_reputation_experiment(
    const ExperimentOptions& o) {
  constexpr Fixed kSd = kFixedOne * 6 / 10;
  constexpr Fixed kCheatMean = kFixedOne * 3 / 10;
  RatingSampler sampler(o.seed);
  std::vector<std::array<Fixed, kExperimentPiles>> rows;
  rows.reserve(o.ratings);
  std::array<Fixed, kExperimentPiles> score{};
  for (std::size_t i = 0; i < o.ratings; ++i) {
    const Fixed cheat_mean = i < cheat_turns_after(o.ratings) ? 3 * kFixedOne : kCheatMean;
    const std::array<Fixed, kExperimentPiles> means = {3 * kFixedOne, 2 * kFixedOne, kFixedOne,
                                                       cheat_mean};
    for (std::size_t p = 0; p < kExperimentPiles; ++p) {
      const std::int64_t rating = sampler.next(means[p], kSd, o.params.d);
      score[p] = update_pile_score(score[p], rating, o.rater_credibility, o.params);
    }
    rows.push_back(score);
  }
  return rows;
}

}  // namespace pilemesh::ledger
