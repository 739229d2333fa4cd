// The settings the simulator's drivers declare. The keys are part of the configuration format
// (the demo configuration uses them), so they do not change.
#pragma once

#include "pilemesh/hal/settings.hpp"

namespace pilemesh::simulator {

using hal::SettingSpec;

inline constexpr SettingSpec kChargerSettings[] = {
    SettingSpec::string("connector_type", "Type2", "Connector type the virtual pile reports",
                        "Type1|Type2|CCS1|CCS2|CHAdeMO|GBT|NACS"),
    SettingSpec::real("max_current_a", 16.0, 6.0, 63.0,
                      "Pile's maximum current per phase in A; also its initial current limit"),
    SettingSpec::integer("phases", 3, 1, 3, "Phases the pile is wired for: 1 or 3"),
    SettingSpec::boolean("ev_connected", false, "An EV is plugged in when the driver starts"),
    SettingSpec::boolean("auto_start", false,
                         "Charge without authorization, like a free-vend pile"),
    SettingSpec::real("battery_kwh", 60.0, 10.0, 200.0, "Usable battery capacity of the EV in kWh"),
    SettingSpec::real("soc_start_pct", 35.0, 0.0, 100.0,
                      "State of charge of every EV that plugs in, in percent"),
    SettingSpec::real("ev_max_current_a", 32.0, 6.0, 63.0,
                      "Current per phase the EV's onboard charger accepts, in A"),
    SettingSpec::integer("ev_phases", 3, 1, 3, "Phases the EV's onboard charger uses: 1 or 3"),
    SettingSpec::integer("plug_cycle_s", 0, 0, 86400,
                         "When > 0 the EV unplugs when full or after this many simulated seconds, "
                         "and a fresh EV plugs in after a quarter of it; 0 = off"),
    SettingSpec::string("fault", "none",
                        "Simulated failure: comm_loss drops the connection once after "
                        "fault_after_s, faulted raises a ground fault, unreachable never connects",
                        "none|comm_loss|faulted|unreachable"),
    SettingSpec::integer("fault_after_s", 10, 0, 86400,
                         "Simulated seconds after connecting before the fault happens"),
    SettingSpec::integer("tick_ms", 250, 50, 5000, "How often the simulation steps, in ms"),
    SettingSpec::real("time_scale", 1.0, 0.1, 3600.0,
                      "Simulated seconds per real second, to fast-forward sessions"),
    SettingSpec::string("rfid_token", "",
                        "An RFID card the EV's driver taps on the pile's reader while the EV is "
                        "plugged in and the pile does not let it charge (disabled, or waiting for "
                        "authorization), every 5 simulated s; "
                        "empty = none"),
};

inline constexpr SettingSpec kMeterSettings[] = {
    SettingSpec::integer("base_load_w", 450, 0, 50000,
                         "The house's own average load in W, drifting by about ±12 %"),
    SettingSpec::boolean("include_piles", true,
                         "Add the power of the simulated piles of this gateway to the reading"),
    SettingSpec::integer("phases", 3, 1, 3, "Phases of the house's grid connection"),
    SettingSpec::integer("tick_ms", 250, 50, 5000, "How often the simulation steps, in ms"),
    SettingSpec::string("fault", "none",
                        "Simulated failure: comm_loss drops the connection once after "
                        "fault_after_s, unreachable never connects",
                        "none|comm_loss|unreachable"),
    SettingSpec::integer("fault_after_s", 10, 0, 86400,
                         "Simulated seconds after connecting before the fault happens"),
    SettingSpec::real("time_scale", 1.0, 0.1, 3600.0,
                      "Simulated seconds per real second, to fast-forward the energy register"),
};

}  // namespace pilemesh::simulator
