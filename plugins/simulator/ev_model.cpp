#include "ev_model.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace pilemesh::simulator {

EvModel::EvModel(const EvParams& params)
    : battery_kwh_(params.battery_kwh),
      max_current_a_(std::max(0.0, params.max_current_a)),
      phases_(params.phases),
      soc_(std::clamp(params.soc_pct / 100.0, 0.0, 1.0)) {
  if (phases_ != 1 && phases_ != 3) {
    throw std::invalid_argument("EV phases must be 1 or 3, not " + std::to_string(phases_));
  }
  if (!(battery_kwh_ > 0.0)) throw std::invalid_argument("EV battery capacity must be positive");
}

double EvModel::accepted_current_a() const noexcept {
  if (full()) return 0.0;
  if (soc_ <= kTaperStartSoc) return max_current_a_;
  const double taper = max_current_a_ * (1.0 - soc_) / (1.0 - kTaperStartSoc);
  return std::max(taper, std::min(kTaperFloorA, max_current_a_));
}

double EvModel::grid_wh_to_full() const noexcept {
  return (1.0 - soc_) * battery_kwh_ * 1000.0 / kEfficiency;
}

double EvModel::absorb(double grid_wh) noexcept {
  if (grid_wh <= 0.0) return 0.0;
  const double needed = grid_wh_to_full();
  if (grid_wh >= needed) {
    soc_ = 1.0;
    return needed;
  }
  soc_ = std::min(1.0, soc_ + grid_wh * kEfficiency / (battery_kwh_ * 1000.0));
  return grid_wh;
}

}  // namespace pilemesh::simulator
