#include "house_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "ev_model.hpp"

namespace pilemesh::simulator {

HouseModel::HouseModel(const HouseParams& params)
    : base_w_(params.base_load_w), phases_(params.phases), drift_(params.drift) {
  if (phases_ < 1 || phases_ > 3) throw std::invalid_argument("meter phases must be 1..3");
  if (base_w_ < 0.0) throw std::invalid_argument("base load must not be negative");
  update_phases({});
}

double HouseModel::base_load_w() const noexcept {
  if (!drift_) return base_w_;
  constexpr double kTwoPi = 2.0 * std::numbers::pi;
  const double drift = 0.08 * std::sin(kTwoPi * time_s_ / kDriftSlowPeriodS) +
                       0.04 * std::sin(kTwoPi * time_s_ / kDriftFastPeriodS + 1.0);
  return base_w_ * (1.0 + drift);
}

void HouseModel::update_phases(const PhaseLoad& piles) noexcept {
  phase_w_ = {};
  const double base = base_load_w();
  for (int i = 0; i < phases_; ++i) phase_w_[i] = base / phases_;
  for (int i = 0; i < 3; ++i) phase_w_[i % phases_] += piles[i];
}

void HouseModel::step(double dt_s, const PhaseLoad& piles) noexcept {
  // The pile load is taken as constant over the step; the drift is sampled every sub-step.
  while (dt_s > 0.0) {
    const double sub = std::min(dt_s, kMaxSubStepS);
    update_phases(piles);
    const double p = power_w();
    if (p >= 0.0) {
      import_wh_ += p * sub / 3600.0;
    } else {
      export_wh_ += -p * sub / 3600.0;
    }
    time_s_ += sub;
    dt_s -= sub;
  }
  update_phases(piles);
}

double HouseModel::power_w() const noexcept {
  return phase_w_[0] + phase_w_[1] + phase_w_[2];
}

double HouseModel::voltage_v(int phase) const noexcept {
  return phase >= 0 && phase < phases_ ? kNominalVoltageV : 0.0;
}

double HouseModel::current_a(int phase) const noexcept {
  return phase >= 0 && phase < phases_ ? std::abs(phase_w_[phase]) / kNominalVoltageV : 0.0;
}

}  // namespace pilemesh::simulator
