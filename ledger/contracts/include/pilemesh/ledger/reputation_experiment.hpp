// The experiment of section 4.1 of the shared-charging architecture paper, on the fixed-point
// reputation of reputation.hpp: four piles rated 180 times, with ratings drawn from N(3, 0.6)
// (good), N(2, 0.6) (fair), N(1, 0.6) (poor), and a cheat rated N(3, 0.6) for its first 60
// ratings and N(0.3, 0.6) for the remaining 120. A sample maps onto the rating scale by rounding
// to the nearest whole number and clamping to 1..D (a rating is always 1, 2 or 3).
//
// Used by the reputation tests and by `pilemesh reputation simulate`.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <random>
#include <vector>

#include "pilemesh/ledger/reputation.hpp"

namespace pilemesh::ledger {

// Ratings drawn from N(mean, sd) and mapped onto 1..d. The same series for a seed on every
// machine and standard library: std::mt19937_64 (fully specified by the standard) and the
// Box-Muller transform computed in integer arithmetic (18-decimal series for ln and cos, an
// integer square root), with no floating point at all.
class RatingSampler {
 public:
  explicit RatingSampler(std::uint64_t seed) : rng_(seed) {}

  // A standard normal sample in fixed point (within 1e-6 of the real transform; |z| < 9).
  Fixed standard_normal();
  // A rating: mean + sd * z rounded to the nearest whole number (halves away from zero), then
  // clamped to 1..d. `mean` and `sd` in fixed point.
  std::int64_t next(Fixed mean, Fixed sd, std::int64_t d = 3);

 private:
  std::mt19937_64 rng_;
};

inline constexpr std::size_t kExperimentPiles = 4;
// The columns of a row: good, fair, poor, cheating.
inline constexpr std::array<const char*, kExperimentPiles> kExperimentPileNames = {
    "pile_good", "pile_fair", "pile_poor", "pile_cheating"};

struct ExperimentOptions {
  std::uint64_t seed = 1;
  std::size_t ratings = 180;
  std::int64_t rater_credibility = 0;  // R_v of every rater, for w(R_v)
  ReputationParams params;
};

// The rating after which the cheat turns: a third of the way (60 of 180).
constexpr std::size_t cheat_turns_after(std::size_t ratings) {
  return ratings / 3;
}

// Runs the experiment from R_cp = 0 for every pile: row i holds each pile's R_cp after its
// (i+1)-th rating. One sampler for all four piles, drawn row by row in column order, so a longer
// run starts with the same ratings as a shorter one (apart from the cheat's turning point).
std::vector<std::array<Fixed, kExperimentPiles>> run_reputation_experiment(
    const ExperimentOptions& options);

}  // namespace pilemesh::ledger
