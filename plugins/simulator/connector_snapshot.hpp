// Converting the pile model into the SDK's integer ConnectorStatus.
#pragma once

#include "pile_model.hpp"
#include "pilemesh/hal/charger.hpp"

namespace pilemesh::simulator {

hal::ConnectorStatus to_connector_status(const PileModel& pile);

// True when anything but the readings (power, energy, currents, voltages) differs: such a
// change is reported at once, readings only at the reporting pace.
bool state_differs(const hal::ConnectorStatus& a, const hal::ConnectorStatus& b) noexcept;
bool readings_differ(const hal::ConnectorStatus& a, const hal::ConnectorStatus& b) noexcept;

}  // namespace pilemesh::simulator
