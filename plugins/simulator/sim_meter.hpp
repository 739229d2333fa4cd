// The simulator's Meter driver: the house's grid meter. It sees the house's own load plus the
// simulated piles in this process, stepped by a periodic timer on the gateway's clock.
#pragma once

#include <optional>

#include "fault_schedule.hpp"
#include "house_model.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "pilemesh/hal/meter.hpp"
#include "sim_config.hpp"
#include "sim_timing.hpp"

namespace pilemesh::simulator {

class SimMeter final : public hal::Meter {
 public:
  // Throws std::invalid_argument for settings the meter cannot have.
  explicit SimMeter(hal::DriverContext& context);
  ~SimMeter() override;

  hal::Status connect(hal::MeterObserver& observer) noexcept override;
  void disconnect() noexcept override;
  hal::Status read(hal::MeterReading& out) const noexcept override;

  const HouseModel& model() const noexcept { return house_; }

 private:
  void catch_up();
  void on_tick() noexcept;
  void lose_connection();
  void stop_timer() noexcept;
  hal::MeterReading reading() const;

  hal::DriverContext& ctx_;
  MeterConfig config_;
  HouseModel house_;
  SimClock clock_;
  ReadingPacer pacer_;
  FaultSchedule fault_;

  hal::MeterObserver* observer_ = nullptr;
  hal::TimerId timer_ = 0;
};

}  // namespace pilemesh::simulator
