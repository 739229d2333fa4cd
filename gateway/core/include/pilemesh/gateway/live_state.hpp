// The gateway's live view of its devices: what each pile and meter reports now, whether it is
// reachable, and why not. Read by the API and the metrics; changed only by the device
// supervisors, on the event loop thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/meter.hpp"

namespace pilemesh::gateway {

struct DeviceHealth {
  bool online = false;
  std::string error;                     // why it is offline; empty when online
  std::uint32_t reconnect_attempts = 0;  // failed attempts since it was last online
};

struct PileState {
  std::string id, name, driver;
  DeviceHealth health;
  std::vector<hal::ConnectorInfo> connectors;
  std::map<hal::ConnectorId, hal::ConnectorStatus> status;  // last known per connector
};

struct MeterState {
  std::string id, name, driver;
  DeviceHealth health;
  std::optional<hal::MeterReading> reading;  // last known
};

enum class DeviceKind { kPile, kMeter };

class LiveState {
 public:
  // Called after every change, with the device that changed.
  using Listener = std::function<void(DeviceKind kind, const std::string& id)>;
  void set_listener(Listener listener) { listener_ = std::move(listener); }

  PileState& add_pile(std::string id, std::string name, std::string driver);
  MeterState& add_meter(std::string id, std::string name, std::string driver);

  const std::vector<PileState>& piles() const { return piles_; }
  const std::vector<MeterState>& meters() const { return meters_; }
  PileState* find_pile(std::string_view id);
  const PileState* find_pile(std::string_view id) const;
  const MeterState* find_meter(std::string_view id) const;

  // Mutations from the supervisors; each notifies the listener.
  void set_pile_health(const std::string& id, DeviceHealth health);
  void set_pile_connectors(const std::string& id, std::vector<hal::ConnectorInfo> connectors);
  void set_connector_status(const std::string& id, hal::ConnectorId connector,
                            const hal::ConnectorStatus& status);
  void set_meter_health(const std::string& id, DeviceHealth health);
  void set_meter_reading(const std::string& id, const hal::MeterReading& reading);

 private:
  MeterState* find_meter_mutable(std::string_view id);
  void notify(DeviceKind kind, const std::string& id) {
    if (listener_) listener_(kind, id);
  }
  // Deques would keep references stable; vectors are fine because devices are only added at
  // start, before anything holds a reference.
  std::vector<PileState> piles_;
  std::vector<MeterState> meters_;
  Listener listener_;
};

}  // namespace pilemesh::gateway
