// A scripted driver for the pile's EV, so a long-running demo keeps showing sessions: the EV
// unplugs when full or after a while, and a fresh one plugs in after a pause.
#pragma once

#include "ev_model.hpp"
#include "pile_model.hpp"

namespace pilemesh::simulator {

class PlugScenario {
 public:
  // `cycle_s` <= 0 disables the scenario. The pause between EVs is a quarter of the cycle.
  PlugScenario(double cycle_s, const EvParams& fresh_ev) noexcept;

  bool active() const noexcept { return cycle_s_ > 0.0; }
  double pause_s() const noexcept { return cycle_s_ / 4.0; }

  // Call before stepping the pile by `dt_s`. Decisions use the pile's state as the previous
  // step left it, so a full EV is seen in SuspendedEV for one step before it leaves.
  void before_step(double dt_s, PileModel& pile);

 private:
  double cycle_s_;
  EvParams fresh_ev_;
  double connected_s_ = 0.0;
  double away_s_ = 0.0;
};

}  // namespace pilemesh::simulator
