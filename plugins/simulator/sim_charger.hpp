// The simulator's Charger driver: adapts PileModel to the SDK. A periodic timer steps the model
// by the simulated time that passed on the gateway's clock and reports what changed.
#pragma once

#include <memory>
#include <optional>

#include "fault_schedule.hpp"
#include "pile_model.hpp"
#include "pile_registry.hpp"
#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "plug_scenario.hpp"
#include "sim_config.hpp"
#include "sim_timing.hpp"

namespace pilemesh::simulator {

class SimCharger final : public hal::Charger {
 public:
  static constexpr hal::ConnectorId kConnectorId = 1;

  // Throws std::invalid_argument for settings the pile cannot have (e.g. phases = 2).
  explicit SimCharger(hal::DriverContext& context);
  ~SimCharger() override;

  hal::Status connect(hal::ChargerObserver& observer) noexcept override;
  void disconnect() noexcept override;
  std::vector<hal::ConnectorInfo> connectors() const override;
  hal::Status status(hal::ConnectorId id, hal::ConnectorStatus& out) const noexcept override;
  hal::Status set_current_limit(hal::ConnectorId id, std::int32_t milliamps) noexcept override;
  hal::Status set_phases(hal::ConnectorId id, int phases) noexcept override;
  hal::Status set_enabled(hal::ConnectorId id, bool enabled) noexcept override;
  hal::Status authorize(hal::ConnectorId id, std::string_view id_token) noexcept override;

  // The physics behind the driver, for tests and tools in the same process that need to plug
  // or unplug the EV by hand. Changes show up in the next report.
  PileModel& model() noexcept { return pile_; }
  const ChargerConfig& config() const noexcept { return config_; }

 private:
  hal::Status check(hal::ConnectorId id) const;
  // Steps the model up to the context's current time.
  void catch_up();
  void on_tick() noexcept;
  void tap_card();
  void lose_connection();
  void stop_timer() noexcept;
  void report_soon();
  void report();
  hal::ConnectorStatus snapshot() const;

  hal::DriverContext& ctx_;
  ChargerConfig config_;
  PileModel pile_;
  PlugScenario scenario_;
  SimClock clock_;
  ReadingPacer pacer_;
  FaultSchedule fault_;
  PileRegistry::Entry registry_entry_;

  hal::ChargerObserver* observer_ = nullptr;
  hal::TimerId timer_ = 0;
  std::optional<hal::ConnectorStatus> last_reported_;
  std::optional<double> last_tap_s_;  // simulated time of the last card tap
  bool report_posted_ = false;
  // Posted callbacks hold a weak reference, so one that runs after destruction does nothing.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pilemesh::simulator
