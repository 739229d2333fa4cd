// pilemesh plugin SDK — Meter: an energy meter (the house's grid connection, or a pile's own).
//
// Units as in charger.hpp: watts, watt-hours, milliamps, millivolts. Power is signed: positive
// when importing from the grid, negative when exporting (solar surplus). The energy registers
// never decrease. Lifecycle and threading as for Charger.
#pragma once

#include <array>
#include <cstdint>

#include "pilemesh/hal/status.hpp"

namespace pilemesh::hal {

struct MeterReading {
  std::int64_t power_w = 0;
  std::int64_t energy_import_wh = 0;
  std::int64_t energy_export_wh = 0;
  std::array<std::int32_t, 3> voltage_mv{};  // L1, L2, L3
  std::array<std::int32_t, 3> current_ma{};  // L1, L2, L3
};

class MeterObserver {
 public:
  virtual ~MeterObserver() = default;
  // A new reading; drivers report at least every few seconds.
  virtual void on_meter_reading(const MeterReading& reading) noexcept = 0;
  // The device went away. The gateway disconnects and retries with backoff.
  virtual void on_connection_lost(const Status& why) noexcept = 0;
};

class Meter {
 public:
  virtual ~Meter() = default;
  Meter() = default;
  Meter(const Meter&) = delete;
  Meter& operator=(const Meter&) = delete;

  // Opens the device and starts reporting to `observer`; kUnavailable when unreachable.
  virtual Status connect(MeterObserver& observer) noexcept = 0;
  // Closes the device; safe to call when not connected.
  virtual void disconnect() noexcept = 0;
  // The latest reading; kUnavailable if none yet.
  virtual Status read(MeterReading& out) const noexcept = 0;
};

}  // namespace pilemesh::hal
