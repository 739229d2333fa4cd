#include "plug_scenario.hpp"

namespace pilemesh::simulator {

PlugScenario::PlugScenario(double cycle_s, const EvParams& fresh_ev) noexcept
    : cycle_s_(cycle_s), fresh_ev_(fresh_ev) {}

void PlugScenario::before_step(double dt_s, PileModel& pile) {
  if (!active()) return;
  if (pile.plugged()) {
    if (pile.ev()->full() || connected_s_ >= cycle_s_) {
      pile.unplug();
      away_s_ = 0.0;
      return;
    }
    connected_s_ += dt_s;
    return;
  }
  if (away_s_ >= pause_s()) {
    pile.plug(fresh_ev_);
    connected_s_ = dt_s;
    return;
  }
  away_s_ += dt_s;
}

}  // namespace pilemesh::simulator
