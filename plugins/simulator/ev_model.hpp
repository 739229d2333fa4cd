// The simulated electric vehicle: a battery behind an onboard charger with a CC/CV taper.
#pragma once

namespace pilemesh::simulator {

// Voltage of every phase of the simulated grid. Kept exact so that readings stay stable and
// power is exactly phases × voltage × current.
inline constexpr double kNominalVoltageV = 230.0;

struct EvParams {
  double battery_kwh = 60.0;    // usable capacity
  double soc_pct = 35.0;        // state of charge when the EV plugs in
  double max_current_a = 32.0;  // what the onboard charger accepts per phase
  int phases = 3;               // 1 or 3
};

class EvModel {
 public:
  // Share of the grid energy that ends up in the battery.
  static constexpr double kEfficiency = 0.92;
  // Above this state of charge the battery leaves constant current and the accepted current
  // falls linearly towards zero at 100 %.
  static constexpr double kTaperStartSoc = 0.80;
  // The taper never asks for less than this, so the battery fills in finite time instead of
  // approaching 100 % asymptotically; real EVs end the session at a similar trickle.
  static constexpr double kTaperFloorA = 1.0;

  // Throws std::invalid_argument for phases other than 1 or 3 or a non-positive capacity.
  explicit EvModel(const EvParams& params);

  double battery_kwh() const noexcept { return battery_kwh_; }
  double max_current_a() const noexcept { return max_current_a_; }
  int phases() const noexcept { return phases_; }
  // State of charge, 0..1.
  double soc() const noexcept { return soc_; }
  bool full() const noexcept { return soc_ >= 1.0; }

  // The current per phase the EV takes now if the pile offers enough.
  double accepted_current_a() const noexcept;
  // Grid energy still needed to fill the battery, in Wh.
  double grid_wh_to_full() const noexcept;
  // Takes up to `grid_wh` of grid energy into the battery; returns how much it took, which is
  // less only when the battery became full.
  double absorb(double grid_wh) noexcept;

 private:
  double battery_kwh_;
  double max_current_a_;
  int phases_;
  double soc_;
};

}  // namespace pilemesh::simulator
