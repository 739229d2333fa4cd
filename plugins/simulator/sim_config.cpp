#include "sim_config.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace pilemesh::simulator {
namespace {

int read_phases(const hal::Settings& settings, const char* key) {
  const auto phases = settings.get_int(key);
  if (phases != 1 && phases != 3) {
    throw std::invalid_argument(std::string(key) + " = " + std::to_string(phases) +
                                ": a pile or EV charges on 1 or 3 phases");
  }
  return static_cast<int>(phases);
}

hal::ConnectorType read_connector_type(const hal::Settings& settings) {
  const std::string name = settings.get_string("connector_type");
  constexpr std::array kTypes = {hal::ConnectorType::kType1,   hal::ConnectorType::kType2,
                                 hal::ConnectorType::kCCS1,    hal::ConnectorType::kCCS2,
                                 hal::ConnectorType::kCHAdeMO, hal::ConnectorType::kGBT,
                                 hal::ConnectorType::kNACS};
  for (const auto type : kTypes) {
    if (hal::to_string(type) == name) return type;
  }
  throw std::invalid_argument("connector_type = \"" + name + "\" is not a known connector type");
}

FaultConfig read_fault(const hal::Settings& settings, bool allow_faulted) {
  FaultConfig fault;
  const std::string mode = settings.get_string("fault");
  if (mode == "none" || mode.empty()) {
    fault.mode = FaultMode::kNone;
  } else if (mode == "comm_loss") {
    fault.mode = FaultMode::kCommLoss;
  } else if (mode == "unreachable") {
    fault.mode = FaultMode::kUnreachable;
  } else if (mode == "faulted" && allow_faulted) {
    fault.mode = FaultMode::kFaulted;
  } else {
    throw std::invalid_argument("fault = \"" + mode + "\" is not supported by this driver");
  }
  fault.after_s = static_cast<double>(std::max<std::int64_t>(0, settings.get_int("fault_after_s")));
  return fault;
}

std::chrono::milliseconds read_tick(const hal::Settings& settings) {
  return std::chrono::milliseconds(std::clamp<std::int64_t>(settings.get_int("tick_ms"), 50, 5000));
}

double read_time_scale(const hal::Settings& settings) {
  const double scale = settings.get_float("time_scale");
  if (!(scale > 0.0)) throw std::invalid_argument("time_scale must be positive");
  return scale;
}

}  // namespace

ChargerConfig read_charger_config(const hal::Settings& settings) {
  ChargerConfig config;
  config.connector_type = read_connector_type(settings);
  config.pile.max_current_a = settings.get_float("max_current_a");
  config.pile.phases = read_phases(settings, "phases");
  config.pile.auto_start = settings.get_bool("auto_start");
  config.ev.battery_kwh = settings.get_float("battery_kwh");
  config.ev.soc_pct = settings.get_float("soc_start_pct");
  config.ev.max_current_a = settings.get_float("ev_max_current_a");
  config.ev.phases = read_phases(settings, "ev_phases");
  config.ev_connected = settings.get_bool("ev_connected");
  config.plug_cycle_s = static_cast<double>(settings.get_int("plug_cycle_s"));
  config.fault = read_fault(settings, /*allow_faulted=*/true);
  config.tick = read_tick(settings);
  config.time_scale = read_time_scale(settings);
  config.rfid_token = settings.get_string("rfid_token");
  if (config.rfid_token.size() > 64)
    throw std::invalid_argument("rfid_token: at most 64 characters, like a card's uid");
  if (!(config.pile.max_current_a > 0.0)) {
    throw std::invalid_argument("max_current_a must be positive");
  }
  if (!(config.ev.battery_kwh > 0.0)) throw std::invalid_argument("battery_kwh must be positive");
  return config;
}

MeterConfig read_meter_config(const hal::Settings& settings) {
  MeterConfig config;
  config.house.base_load_w = static_cast<double>(settings.get_int("base_load_w"));
  const auto phases = settings.get_int("phases");
  if (phases < 1 || phases > 3) {
    throw std::invalid_argument("phases = " + std::to_string(phases) + ": must be 1..3");
  }
  config.house.phases = static_cast<int>(phases);
  config.include_piles = settings.get_bool("include_piles");
  config.fault = read_fault(settings, /*allow_faulted=*/false);
  config.tick = read_tick(settings);
  config.time_scale = read_time_scale(settings);
  if (config.house.base_load_w < 0.0) throw std::invalid_argument("base_load_w must be >= 0");
  return config;
}

}  // namespace pilemesh::simulator
