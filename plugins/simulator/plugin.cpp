// The simulator plugin's entry points: a virtual pile and a virtual house meter, for demos,
// tests and trying pilemesh without hardware.
#include "pilemesh/hal/plugin.hpp"

#include "sim_charger.hpp"
#include "sim_meter.hpp"
#include "sim_settings.hpp"

namespace {

using pilemesh::simulator::kChargerSettings;
using pilemesh::simulator::kMeterSettings;
using pilemesh::simulator::SimCharger;
using pilemesh::simulator::SimMeter;

const pilemesh::hal::DriverFactory kFactories[] = {
    pilemesh::hal::charger_factory<SimCharger>(
        "charger", "Virtual charging pile with a simulated EV (CC/CV battery, plug cycles, faults)",
        kChargerSettings),
    pilemesh::hal::meter_factory<SimMeter>(
        "meter", "Virtual house grid meter: a drifting base load plus the simulated piles",
        kMeterSettings),
};

}  // namespace

PILEMESH_PLUGIN("simulator", "pilemesh", "0.1.0",
                "Simulated charging pile and house meter for demos and tests", kFactories)
