// The simulator drivers' settings, read once and checked, as plain structs.
#pragma once

#include <chrono>
#include <string>

#include "ev_model.hpp"
#include "house_model.hpp"
#include "pile_model.hpp"
#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/settings.hpp"

namespace pilemesh::simulator {

enum class FaultMode { kNone, kCommLoss, kFaulted, kUnreachable };

struct FaultConfig {
  FaultMode mode = FaultMode::kNone;
  double after_s = 10.0;  // simulated seconds after the first connect
};

struct ChargerConfig {
  hal::ConnectorType connector_type = hal::ConnectorType::kType2;
  PileParams pile;
  EvParams ev;
  bool ev_connected = false;
  double plug_cycle_s = 0.0;
  FaultConfig fault;
  std::chrono::milliseconds tick{250};
  double time_scale = 1.0;
  std::string rfid_token;  // tapped while plugged in and not enabled; empty: no card
};

struct MeterConfig {
  HouseParams house;
  bool include_piles = true;
  FaultConfig fault;
  std::chrono::milliseconds tick{250};
  double time_scale = 1.0;
};

// Read the settings declared in sim_settings.hpp. Throw std::invalid_argument with a message
// naming the key for values the settings table cannot express (phases = 2, a fault mode the
// driver does not support), so that the factory refuses the device.
ChargerConfig read_charger_config(const hal::Settings& settings);
MeterConfig read_meter_config(const hal::Settings& settings);

}  // namespace pilemesh::simulator
