// The simulated house behind the grid meter: a base load that drifts a little, plus whatever
// the piles draw, integrated into an import energy register.
#pragma once

#include <array>
#include <cstdint>

namespace pilemesh::simulator {

// Power per phase (L1, L2, L3) in watts.
using PhaseLoad = std::array<double, 3>;

struct HouseParams {
  double base_load_w = 450.0;  // the house's own average consumption
  int phases = 3;              // phases of the grid connection, 1..3
  // Let the base load drift by up to ±12 % (fridge, pumps cycling) so the meter looks alive.
  // The drift is a fixed function of simulated time, so runs are reproducible.
  bool drift = true;
};

class HouseModel {
 public:
  // Drift periods long enough to read as appliances switching, not as noise.
  static constexpr double kDriftSlowPeriodS = 900.0;
  static constexpr double kDriftFastPeriodS = 137.0;
  static constexpr double kMaxSubStepS = 10.0;

  // Throws std::invalid_argument for phases outside 1..3 or a negative base load.
  explicit HouseModel(const HouseParams& params);

  // Advances by `dt_s` simulated seconds with `piles` drawn on top of the house's own load
  // (pile phase i lands on meter phase i modulo the house's phases).
  void step(double dt_s, const PhaseLoad& piles) noexcept;

  double time_s() const noexcept { return time_s_; }
  int phases() const noexcept { return phases_; }
  // The house's own load at the current time, without the piles.
  double base_load_w() const noexcept;
  // Totals as of the last step.
  double power_w() const noexcept;
  const PhaseLoad& phase_power_w() const noexcept { return phase_w_; }
  double voltage_v(int phase) const noexcept;
  double current_a(int phase) const noexcept;
  double import_wh() const noexcept { return import_wh_; }
  double export_wh() const noexcept { return export_wh_; }

 private:
  void update_phases(const PhaseLoad& piles) noexcept;

  double base_w_;
  int phases_;
  bool drift_;
  double time_s_ = 0.0;
  PhaseLoad phase_w_{};
  double import_wh_ = 0.0;
  double export_wh_ = 0.0;
};

}  // namespace pilemesh::simulator
