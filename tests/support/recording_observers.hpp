// Observers that record what a driver reports, for assertions in tests.
//
// Pass a DriverContext (usually the FakeDriverContext the driver runs on) to stamp every
// record with that context's clock.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "pilemesh/hal/meter.hpp"

namespace pilemesh::test {

using TimePoint = std::chrono::steady_clock::time_point;

class RecordingChargerObserver : public hal::ChargerObserver {
 public:
  struct Update {
    hal::ConnectorId id;
    hal::ConnectorStatus status;
    TimePoint at;  // the clock's time, or the epoch without a clock
  };
  struct Loss {
    hal::Status why;
    TimePoint at;
  };

  explicit RecordingChargerObserver(const hal::DriverContext* clock = nullptr) : clock_(clock) {}

  void on_connector_status(hal::ConnectorId id,
                           const hal::ConnectorStatus& status) noexcept override;
  void on_connection_lost(const hal::Status& why) noexcept override;
  hal::IdTokenDecision on_id_token(hal::ConnectorId, std::string_view id_token) noexcept override {
    tokens_.emplace_back(id_token);
    return token_decision;
  }
  // What on_id_token answers.
  hal::IdTokenDecision token_decision = hal::IdTokenDecision::kInvalid;

  const std::vector<Update>& updates() const noexcept { return updates_; }
  // The id tokens presented, in order.
  const std::vector<std::string>& tokens() const noexcept { return tokens_; }
  const std::vector<Loss>& losses() const noexcept { return losses_; }
  // The newest status reported for connector `id`, if any.
  std::optional<hal::ConnectorStatus> last(hal::ConnectorId id = 1) const;
  // The states reported for connector `id`, with consecutive repeats collapsed.
  std::vector<hal::ConnectorState> states(hal::ConnectorId id = 1) const;
  void clear() noexcept;

 private:
  std::vector<std::string> tokens_;
  const hal::DriverContext* clock_;
  std::vector<Update> updates_;
  std::vector<Loss> losses_;
};

class RecordingMeterObserver : public hal::MeterObserver {
 public:
  struct Reading {
    hal::MeterReading reading;
    TimePoint at;
  };
  struct Loss {
    hal::Status why;
    TimePoint at;
  };

  explicit RecordingMeterObserver(const hal::DriverContext* clock = nullptr) : clock_(clock) {}

  void on_meter_reading(const hal::MeterReading& reading) noexcept override;
  void on_connection_lost(const hal::Status& why) noexcept override;

  const std::vector<Reading>& readings() const noexcept { return readings_; }
  const std::vector<Loss>& losses() const noexcept { return losses_; }
  std::optional<hal::MeterReading> last() const;
  void clear() noexcept;

 private:
  const hal::DriverContext* clock_;
  std::vector<Reading> readings_;
  std::vector<Loss> losses_;
};

}  // namespace pilemesh::test
