#include "recording_observers.hpp"

namespace pilemesh::test {
namespace {

TimePoint stamp(const hal::DriverContext* clock) noexcept {
  return clock ? clock->now() : TimePoint{};
}

}  // namespace

// The observer interface is noexcept; a test that runs out of memory recording has bigger
// problems, so push_back is allowed to terminate.
void RecordingChargerObserver::on_connector_status(hal::ConnectorId id,
                                                   const hal::ConnectorStatus& status) noexcept {
  updates_.push_back({id, status, stamp(clock_)});
}

void RecordingChargerObserver::on_connection_lost(const hal::Status& why) noexcept {
  losses_.push_back({why, stamp(clock_)});
}

std::optional<hal::ConnectorStatus> RecordingChargerObserver::last(hal::ConnectorId id) const {
  for (auto it = updates_.rbegin(); it != updates_.rend(); ++it) {
    if (it->id == id) return it->status;
  }
  return std::nullopt;
}

std::vector<hal::ConnectorState> RecordingChargerObserver::states(hal::ConnectorId id) const {
  std::vector<hal::ConnectorState> states;
  for (const auto& update : updates_) {
    if (update.id != id) continue;
    if (states.empty() || states.back() != update.status.state) {
      states.push_back(update.status.state);
    }
  }
  return states;
}

void RecordingChargerObserver::clear() noexcept {
  updates_.clear();
  losses_.clear();
}

void RecordingMeterObserver::on_meter_reading(const hal::MeterReading& reading) noexcept {
  readings_.push_back({reading, stamp(clock_)});
}

void RecordingMeterObserver::on_connection_lost(const hal::Status& why) noexcept {
  losses_.push_back({why, stamp(clock_)});
}

std::optional<hal::MeterReading> RecordingMeterObserver::last() const {
  if (readings_.empty()) return std::nullopt;
  return readings_.back().reading;
}

void RecordingMeterObserver::clear() noexcept {
  readings_.clear();
  losses_.clear();
}

}  // namespace pilemesh::test
