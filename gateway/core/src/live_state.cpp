#include "pilemesh/gateway/live_state.hpp"

#include <algorithm>

namespace pilemesh::gateway {

PileState& LiveState::add_pile(std::string id, std::string name, std::string driver) {
  PileState pile;
  pile.id = std::move(id), pile.name = std::move(name), pile.driver = std::move(driver);
  pile.health.error = "not connected yet";
  return piles_.emplace_back(std::move(pile));
}

MeterState& LiveState::add_meter(std::string id, std::string name, std::string driver) {
  MeterState meter;
  meter.id = std::move(id), meter.name = std::move(name), meter.driver = std::move(driver);
  meter.health.error = "not connected yet";
  return meters_.emplace_back(std::move(meter));
}

PileState* LiveState::find_pile(std::string_view id) {
  auto it = std::find_if(piles_.begin(), piles_.end(), [&](const auto& p) { return p.id == id; });
  return it == piles_.end() ? nullptr : &*it;
}

const PileState* LiveState::find_pile(std::string_view id) const {
  return const_cast<LiveState*>(this)->find_pile(id);
}

MeterState* LiveState::find_meter_mutable(std::string_view id) {
  auto it = std::find_if(meters_.begin(), meters_.end(), [&](const auto& m) { return m.id == id; });
  return it == meters_.end() ? nullptr : &*it;
}

const MeterState* LiveState::find_meter(std::string_view id) const {
  return const_cast<LiveState*>(this)->find_meter_mutable(id);
}

void LiveState::set_pile_health(const std::string& id, DeviceHealth health) {
  if (auto* pile = find_pile(id)) {
    pile->health = std::move(health);
    notify(DeviceKind::kPile, id);
  }
}

void LiveState::set_pile_connectors(const std::string& id,
                                    std::vector<hal::ConnectorInfo> connectors) {
  if (auto* pile = find_pile(id)) {
    pile->connectors = std::move(connectors);
    notify(DeviceKind::kPile, id);
  }
}

void LiveState::set_connector_status(const std::string& id, hal::ConnectorId connector,
                                     const hal::ConnectorStatus& status) {
  if (auto* pile = find_pile(id)) {
    pile->status[connector] = status;
    notify(DeviceKind::kPile, id);
  }
}

void LiveState::set_meter_health(const std::string& id, DeviceHealth health) {
  if (auto* meter = find_meter_mutable(id)) {
    meter->health = std::move(health);
    notify(DeviceKind::kMeter, id);
  }
}

void LiveState::set_meter_reading(const std::string& id, const hal::MeterReading& reading) {
  if (auto* meter = find_meter_mutable(id)) {
    meter->reading = reading;
    notify(DeviceKind::kMeter, id);
  }
}

}  // namespace pilemesh::gateway
