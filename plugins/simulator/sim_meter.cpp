#include "sim_meter.hpp"

#include <cmath>
#include <string>

#include "guarded.hpp"
#include "pile_registry.hpp"

namespace pilemesh::simulator {

using hal::Status;

SimMeter::SimMeter(hal::DriverContext& context)
    : ctx_(context),
      config_(read_meter_config(context.settings())),
      house_(config_.house),
      clock_(context.now(), config_.time_scale),
      pacer_(config_.tick),
      fault_(config_.fault) {}

SimMeter::~SimMeter() {
  stop_timer();
}

Status SimMeter::connect(hal::MeterObserver& observer) noexcept {
  return guarded("connect", [&]() -> Status {
    if (fault_.mode() == FaultMode::kUnreachable) {
      return Status::unavailable("simulated meter unreachable");
    }
    stop_timer();
    catch_up();
    observer_ = &observer;
    fault_.on_connect(clock_.sim_time_s());
    pacer_.reset();
    timer_ = ctx_.start_timer(config_.tick, config_.tick, [this] { on_tick(); });
    ctx_.logger().info("simulated meter connected");
    return Status::ok();
  });
}

void SimMeter::disconnect() noexcept {
  stop_timer();
  observer_ = nullptr;
}

Status SimMeter::read(hal::MeterReading& out) const noexcept {
  return guarded("read", [&]() -> Status {
    if (observer_ == nullptr) return Status::unavailable("simulated meter is not connected");
    out = reading();
    return Status::ok();
  });
}

void SimMeter::catch_up() {
  const double dt = clock_.advance(ctx_.now());
  const PhaseLoad piles = config_.include_piles ? PileRegistry::instance().total() : PhaseLoad{};
  // A zero step still refreshes the reading with the piles' latest load.
  house_.step(dt, piles);
}

void SimMeter::on_tick() noexcept {
  try {
    catch_up();
    if (fault_.mode() == FaultMode::kCommLoss && fault_.strikes(clock_.sim_time_s())) {
      lose_connection();
      return;
    }
    const auto now = ctx_.now();
    if (observer_ == nullptr || !pacer_.reading_due(now)) return;
    pacer_.sent(now);
    observer_->on_meter_reading(reading());
  } catch (const std::exception& e) {
    ctx_.logger().error(std::string("meter step failed: ") + e.what());
  } catch (...) {
    ctx_.logger().error("meter step failed");
  }
}

void SimMeter::lose_connection() {
  auto* observer = observer_;
  stop_timer();
  observer_ = nullptr;
  ctx_.logger().warn("simulated communication loss");
  if (observer != nullptr) {
    observer->on_connection_lost(Status::unavailable("simulated communication loss"));
  }
}

void SimMeter::stop_timer() noexcept {
  if (timer_ != 0) ctx_.cancel_timer(timer_);
  timer_ = 0;
}

hal::MeterReading SimMeter::reading() const {
  hal::MeterReading r;
  r.power_w = std::llround(house_.power_w());
  r.energy_import_wh = static_cast<std::int64_t>(std::floor(house_.import_wh()));
  r.energy_export_wh = static_cast<std::int64_t>(std::floor(house_.export_wh()));
  for (int i = 0; i < 3; ++i) {
    r.voltage_mv[i] = static_cast<std::int32_t>(std::lround(house_.voltage_v(i) * 1000.0));
    r.current_ma[i] = static_cast<std::int32_t>(std::lround(house_.current_a(i) * 1000.0));
  }
  return r;
}

}  // namespace pilemesh::simulator
