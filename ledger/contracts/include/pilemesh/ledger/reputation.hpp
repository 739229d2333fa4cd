// Reputation, after section 3.4 of the shared-charging architecture paper, in fixed point so
// that every peer computes exactly the same values (no floating point in ledger state).
//
// EV user credibility, formula (1):  R_v = Σ B_vi, with B in {-1, 0, +1} per settled session
// (paid and left on time / late / no-show or unpaid). A member with R_v below the genesis
// threshold cannot book.
//
// Pile service score, formula (2), after the n-th rating W_n in {1, 2, 3}:
//   E_n      = R_cp,n-1 / D                         the score the pile "expects"
//   Φ(R)     = 1 - 1 / (1 + e^((R - D) / σ))        the damping function
//   R_cp,n   = R_cp,n-1 + (1/μ) · Φ(R_cp,n-1) · w(R_v) · (W_n - E_n)
// with D = 3 and μ > 1. The paper multiplies by R_v itself, which gives a new member (R_v = 0)
// no say at all and a negative one a reversed say. Here the rater's weight is
//   w(R_v) = 1 + min(max(R_v, 0), kMaxCredibilityBonus) / kCredibilityStep
// so every member in good standing counts, and members with a record of correct sessions
// count up to twice as much. R_cp settles where E_n equals the mean rating, i.e. near D times
// the mean of W.
#pragma once

#include <cstdint>

namespace pilemesh::ledger {

// Fixed-point values with six decimals: 1.5 is 1'500'000.
using Fixed = std::int64_t;
inline constexpr Fixed kFixedOne = 1'000'000;

struct ReputationParams {
  Fixed mu = 2 * kFixedOne;     // μ > 1: larger is slower
  Fixed sigma = 3 * kFixedOne;  // σ: the damping's acceleration factor
  std::int64_t d = 3;           // D: the highest rating
};

inline constexpr std::int64_t kMaxCredibilityBonus = 10;
inline constexpr std::int64_t kCredibilityStep = 10;

// e^x for x in fixed point, x <= 0 and x >= -40 (clamped), with integer arithmetic only.
Fixed fixed_exp_negative(Fixed x);
// Φ(R) of formula (2), in fixed point, in (0, 1).
Fixed damping(Fixed r_cp, const ReputationParams& params);
// The rater's weight w(R_v), in fixed point, from 1 to 2.
Fixed rater_weight(std::int64_t r_v);
// One step of formula (2); `rating` is W_n in 1..D.
Fixed update_pile_score(Fixed r_cp, std::int64_t rating, std::int64_t r_v,
                        const ReputationParams& params);

}  // namespace pilemesh::ledger
