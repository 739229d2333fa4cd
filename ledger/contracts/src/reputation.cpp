#include "pilemesh/ledger/reputation.hpp"

#include <algorithm>

namespace pilemesh::ledger {
namespace {

__extension__ typedef __int128 Wide;  // exact products of two 18-decimal values

// e^-1 with 18 decimals, and the scale the series runs at.
constexpr Wide kWideOne = 1'000'000'000'000'000'000;
constexpr Wide kExpMinusOne = 367'879'441'171'442'322;

Fixed mul(Fixed a, Fixed b) {
  return static_cast<Fixed>(Wide(a) * b / kFixedOne);
}
Fixed div(Fixed a, Fixed b) {
  return static_cast<Fixed>(Wide(a) * kFixedOne / b);
}

}  // namespace

Fixed fixed_exp_negative(Fixed x) {
  x = std::clamp<Fixed>(x, -40 * kFixedOne, 0);
  const Fixed a = -x;
  const std::int64_t whole = a / kFixedOne;
  const Wide frac = Wide(a % kFixedOne) * (kWideOne / kFixedOne);  // in [0, 1), 18 decimals
  // e^-whole by repeated multiplication; e^-frac by its Taylor series (alternating, |frac| < 1,
  // 20 terms are far below the last decimal).
  Wide result = kWideOne;
  for (std::int64_t i = 0; i < whole; ++i) result = result * kExpMinusOne / kWideOne;
  Wide term = kWideOne, sum = kWideOne;
  for (int k = 1; k <= 20; ++k) {
    term = -term * frac / kWideOne / k;
    sum += term;
  }
  result = result * sum / kWideOne;
  return static_cast<Fixed>(result / (kWideOne / kFixedOne));
}

Fixed damping(Fixed r_cp, const ReputationParams& p) {
  // Φ = 1 - 1/(1 + e^z) with z = (R - D)/σ, written with e^-|z| only, so the exponential never
  // overflows: for z <= 0, Φ = e^z / (1 + e^z); for z > 0, Φ = 1 / (1 + e^-z).
  const Fixed z = div(r_cp - p.d * kFixedOne, p.sigma);
  const Fixed e = fixed_exp_negative(z <= 0 ? z : -z);
  return z <= 0 ? div(e, kFixedOne + e) : div(kFixedOne, kFixedOne + e);
}

Fixed rater_weight(std::int64_t r_v) {
  const std::int64_t bonus = std::clamp<std::int64_t>(r_v, 0, kMaxCredibilityBonus);
  return kFixedOne + bonus * kFixedOne / kCredibilityStep;
}

Fixed update_pile_score(Fixed r_cp, std::int64_t rating, std::int64_t r_v,
                        const ReputationParams& p) {
  const Fixed expected = r_cp / p.d;                     // E_n = R_cp,n-1 / D
  const Fixed surprise = rating * kFixedOne - expected;  // W_n - E_n
  const Fixed step = mul(mul(damping(r_cp, p), rater_weight(r_v)), surprise);
  return std::max<Fixed>(0, r_cp + div(step, p.mu));
}

}  // namespace pilemesh::ledger
