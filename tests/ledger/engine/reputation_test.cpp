// Reputation in fixed point: the integer exponential against the real one, the damping, and the
// experiment of section 4.1 of the shared-charging architecture paper: four piles rated 180
// times from N(1, 0.6), N(2, 0.6), N(3, 0.6), and one rated N(3, 0.6) for 60 ratings and then
// N(0.3, 0.6) for 120. Samples map onto the rating scale by rounding to the nearest whole
// number and clamping to 1..3 (a rating is always 1, 2 or 3).
#include "pilemesh/ledger/reputation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace pilemesh::ledger {
namespace {

double real(Fixed f) {
  return static_cast<double>(f) / kFixedOne;
}

TEST(Reputation, IntegerExponentialMatchesTheRealOne) {
  for (double x = 0; x >= -39.9; x -= 0.37) {
    const Fixed fx = static_cast<Fixed>(std::llround(x * kFixedOne));
    EXPECT_NEAR(real(fixed_exp_negative(fx)), std::exp(real(fx)), 2e-6) << x;
  }
  EXPECT_EQ(fixed_exp_negative(0), kFixedOne);
  EXPECT_EQ(fixed_exp_negative(-100 * kFixedOne), fixed_exp_negative(-40 * kFixedOne));
}

TEST(Reputation, DampingIsTheLogisticOfTheDistanceToD) {
  const ReputationParams p;
  EXPECT_EQ(damping(3 * kFixedOne, p), kFixedOne / 2);
  for (double r : {0.0, 1.0, 2.5, 4.0, 7.5}) {
    const double expected = 1.0 - 1.0 / (1.0 + std::exp((r - 3.0) / 3.0));
    EXPECT_NEAR(real(damping(static_cast<Fixed>(r * kFixedOne), p)), expected, 2e-6) << r;
  }
}

TEST(Reputation, NewMembersCountAndCredibleOnesCountMore) {
  EXPECT_EQ(rater_weight(0), kFixedOne);
  EXPECT_EQ(rater_weight(-5), kFixedOne) << "below zero cannot book, and never reverses a rating";
  EXPECT_EQ(rater_weight(5), kFixedOne + kFixedOne / 2);
  EXPECT_EQ(rater_weight(1000), 2 * kFixedOne);
}

// Box-Muller over mt19937, so the series is the same on every machine with this libm.
class Ratings {
 public:
  explicit Ratings(std::uint32_t seed) : rng_(seed) {}
  std::int64_t next(double mean, double sd) {
    const double u1 = (static_cast<double>(rng_()) + 1.0) / 4294967297.0;
    const double u2 = static_cast<double>(rng_()) / 4294967296.0;
    const double z = std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * 3.14159265358979323846 * u2);
    return std::clamp<std::int64_t>(std::llround(mean + sd * z), 1, 3);
  }

 private:
  std::mt19937 rng_;
};

std::vector<Fixed> series(const std::vector<double>& means, std::uint32_t seed) {
  Ratings ratings(seed);
  const ReputationParams p;
  std::vector<Fixed> out;
  Fixed r = 0;
  for (double mean : means) {
    r = update_pile_score(r, ratings.next(mean, 0.6), /*r_v=*/5, p);
    out.push_back(r);
  }
  return out;
}

double mean_of_last(const std::vector<Fixed>& s, std::size_t n) {
  double sum = 0;
  for (std::size_t i = s.size() - n; i < s.size(); ++i) sum += real(s[i]);
  return sum / static_cast<double>(n);
}

TEST(Reputation, ThePapersExperimentBetterPilesEndHigherAndTheCheatFallsBack) {
  const std::vector<double> poor(180, 1.0), fair(180, 2.0), good(180, 3.0);
  std::vector<double> cheat(60, 3.0);
  cheat.insert(cheat.end(), 120, 0.3);
  const auto s_poor = series(poor, 1), s_fair = series(fair, 2), s_good = series(good, 3),
             s_cheat = series(cheat, 4);
  const double end_poor = mean_of_last(s_poor, 30), end_fair = mean_of_last(s_fair, 30),
               end_good = mean_of_last(s_good, 30), end_cheat = mean_of_last(s_cheat, 30);
  EXPECT_LT(end_poor, end_fair);
  EXPECT_LT(end_fair, end_good);
  // The cheat is up with the good piles after its first 60 ratings...
  EXPECT_GT(real(s_cheat[59]), end_fair);
  // ...and has fallen back to the level of its real service by the end.
  EXPECT_LT(end_cheat, real(s_cheat[59]) * 0.6);
  EXPECT_LT(end_cheat, end_fair);
  // Deterministic: the same ratings give the same scores to the last digit.
  EXPECT_EQ(series(cheat, 4), s_cheat);
}

}  // namespace
}  // namespace pilemesh::ledger
