#include "connector_snapshot.hpp"

#include <cmath>

namespace pilemesh::simulator {

hal::ConnectorStatus to_connector_status(const PileModel& pile) {
  hal::ConnectorStatus s;
  s.state = pile.state();
  s.active_phases = pile.active_phases();
  s.power_w = std::llround(pile.power_w());
  s.energy_wh = pile.energy_register_wh();
  const auto milliamps = static_cast<std::int32_t>(std::lround(pile.current_a() * 1000.0));
  const auto millivolts = static_cast<std::int32_t>(std::lround(pile.voltage_v() * 1000.0));
  for (int i = 0; i < 3; ++i) {
    s.current_ma[i] = i < s.active_phases ? milliamps : 0;
    // The supply is live on every wired phase whether or not current flows.
    s.voltage_mv[i] = i < pile.wired_phases() ? millivolts : 0;
  }
  s.current_limit_ma = static_cast<std::int32_t>(std::lround(pile.limit_a() * 1000.0));
  s.enabled = pile.enabled();
  s.authorized_id_token = pile.id_token();
  s.fault = pile.fault();
  return s;
}

bool state_differs(const hal::ConnectorStatus& a, const hal::ConnectorStatus& b) noexcept {
  return a.state != b.state || a.active_phases != b.active_phases ||
         a.current_limit_ma != b.current_limit_ma || a.enabled != b.enabled ||
         a.authorized_id_token != b.authorized_id_token || a.fault != b.fault;
}

bool readings_differ(const hal::ConnectorStatus& a, const hal::ConnectorStatus& b) noexcept {
  return a.power_w != b.power_w || a.energy_wh != b.energy_wh || a.current_ma != b.current_ma ||
         a.voltage_mv != b.voltage_mv;
}

}  // namespace pilemesh::simulator
