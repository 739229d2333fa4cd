#include "sim_charger.hpp"

#include <cmath>
#include <string>

#include "connector_snapshot.hpp"
#include "guarded.hpp"

namespace pilemesh::simulator {

using hal::ConnectorState;
using hal::Status;

namespace {
constexpr const char* kGroundFault = "simulated ground fault";
}  // namespace

SimCharger::SimCharger(hal::DriverContext& context)
    : ctx_(context),
      config_(read_charger_config(context.settings())),
      pile_(config_.pile),
      scenario_(config_.plug_cycle_s, config_.ev),
      clock_(context.now(), config_.time_scale),
      pacer_(config_.tick),
      fault_(config_.fault),
      registry_entry_(PileRegistry::instance().join()) {
  if (config_.ev_connected) pile_.plug(config_.ev);
}

SimCharger::~SimCharger() {
  stop_timer();
}

Status SimCharger::connect(hal::ChargerObserver& observer) noexcept {
  return guarded("connect", [&]() -> Status {
    if (fault_.mode() == FaultMode::kUnreachable) {
      return Status::unavailable("simulated pile unreachable");
    }
    stop_timer();
    catch_up();
    observer_ = &observer;
    fault_.on_connect(clock_.sim_time_s());
    last_reported_.reset();
    pacer_.reset();
    timer_ = ctx_.start_timer(config_.tick, config_.tick, [this] { on_tick(); });
    ctx_.logger().info("simulated pile connected, " + std::string(hal::to_string(pile_.state())));
    report_soon();
    return Status::ok();
  });
}

void SimCharger::disconnect() noexcept {
  stop_timer();
  observer_ = nullptr;
}

std::vector<hal::ConnectorInfo> SimCharger::connectors() const {
  hal::ConnectorInfo info;
  info.id = kConnectorId;
  info.type = config_.connector_type;
  info.max_phases = pile_.wired_phases();
  info.max_current_ma = static_cast<std::int32_t>(std::lround(pile_.max_current_a() * 1000.0));
  info.max_power_w = std::llround(pile_.wired_phases() * pile_.voltage_v() * pile_.max_current_a());
  return {info};
}

Status SimCharger::check(hal::ConnectorId id) const {
  if (id != kConnectorId) {
    return Status::invalid_argument("unknown connector " + std::to_string(id) +
                                    "; the simulated pile has connector 1");
  }
  if (observer_ == nullptr) return Status::unavailable("simulated pile is not connected");
  return Status::ok();
}

Status SimCharger::status(hal::ConnectorId id, hal::ConnectorStatus& out) const noexcept {
  return guarded("status", [&]() -> Status {
    if (auto s = check(id); !s) return s;
    out = snapshot();
    return Status::ok();
  });
}

Status SimCharger::set_current_limit(hal::ConnectorId id, std::int32_t milliamps) noexcept {
  return guarded("set_current_limit", [&]() -> Status {
    if (auto s = check(id); !s) return s;
    if (milliamps < 0) {
      return Status::invalid_argument("current limit " + std::to_string(milliamps) +
                                      " mA is negative");
    }
    catch_up();
    pile_.set_current_limit_a(milliamps / 1000.0);
    report_soon();
    return Status::ok();
  });
}

Status SimCharger::set_phases(hal::ConnectorId id, int phases) noexcept {
  return guarded("set_phases", [&]() -> Status {
    if (auto s = check(id); !s) return s;
    if (phases != 1 && phases != 3) {
      return Status::invalid_argument("cannot charge on " + std::to_string(phases) +
                                      " phases; use 1 or 3");
    }
    if (phases > pile_.wired_phases()) {
      return Status::not_supported("the simulated pile is wired for 1 phase only");
    }
    catch_up();
    pile_.set_phases(phases);
    report_soon();
    return Status::ok();
  });
}

Status SimCharger::set_enabled(hal::ConnectorId id, bool enabled) noexcept {
  return guarded("set_enabled", [&]() -> Status {
    if (auto s = check(id); !s) return s;
    catch_up();
    pile_.set_enabled(enabled);
    report_soon();
    return Status::ok();
  });
}

Status SimCharger::authorize(hal::ConnectorId id, std::string_view id_token) noexcept {
  return guarded("authorize", [&]() -> Status {
    if (auto s = check(id); !s) return s;
    catch_up();
    if (pile_.state() == ConnectorState::kFaulted && !id_token.empty()) {
      return Status::failed_precondition("connector 1 is Faulted: " + pile_.fault());
    }
    pile_.authorize(std::string(id_token));
    report_soon();
    return Status::ok();
  });
}

void SimCharger::catch_up() {
  const double dt = clock_.advance(ctx_.now());
  if (dt <= 0.0) return;
  const bool was_plugged = pile_.plugged();
  scenario_.before_step(dt, pile_);
  if (pile_.plugged() != was_plugged) {
    ctx_.logger().info(pile_.plugged() ? "simulated EV plugged in" : "simulated EV unplugged");
  }
  pile_.step(dt);
  if (fault_.mode() == FaultMode::kFaulted && fault_.strikes(clock_.sim_time_s())) {
    pile_.set_fault(kGroundFault);
    ctx_.logger().warn(std::string("connector 1 faulted: ") + kGroundFault);
  }
  PhaseLoad load{};
  for (int i = 0; i < pile_.active_phases(); ++i) load[i] = pile_.voltage_v() * pile_.current_a();
  registry_entry_.publish(load);
}

void SimCharger::tap_card() {
  // The driver of a plugged-in EV that does not charge taps their card, and again a little
  // later if nothing happened, as people do.
  constexpr double kTapEveryS = 5.0;
  if (config_.rfid_token.empty() || observer_ == nullptr) return;
  const bool may_charge = pile_.enabled() && (pile_.auto_start() || !pile_.id_token().empty());
  if (!pile_.plugged() || may_charge) {
    last_tap_s_.reset();
    return;
  }
  const double now = clock_.sim_time_s();
  if (last_tap_s_ && now - *last_tap_s_ < kTapEveryS) return;
  last_tap_s_ = now;
  // The simulated reader shows nothing of the answer: the gateway enables the pile if it opens.
  (void)observer_->on_id_token(1, config_.rfid_token);
}

void SimCharger::on_tick() noexcept {
  try {
    catch_up();
    if (fault_.mode() == FaultMode::kCommLoss && fault_.strikes(clock_.sim_time_s())) {
      lose_connection();
      return;
    }
    report();
    tap_card();
  } catch (const std::exception& e) {
    ctx_.logger().error(std::string("simulation step failed: ") + e.what());
  } catch (...) {
    ctx_.logger().error("simulation step failed");
  }
}

void SimCharger::lose_connection() {
  // Detach before telling the gateway, which may disconnect() from inside the callback.
  auto* observer = observer_;
  stop_timer();
  observer_ = nullptr;
  ctx_.logger().warn("simulated communication loss");
  if (observer != nullptr) {
    observer->on_connection_lost(Status::unavailable("simulated communication loss"));
  }
}

void SimCharger::stop_timer() noexcept {
  if (timer_ != 0) ctx_.cancel_timer(timer_);
  timer_ = 0;
}

void SimCharger::report_soon() {
  // Posted rather than called, so the gateway never gets a callback from inside its own call.
  if (report_posted_) return;
  report_posted_ = true;
  ctx_.post([this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.expired()) return;
    report_posted_ = false;
    try {
      catch_up();
      report();
    } catch (...) {
      ctx_.logger().error("reporting connector status failed");
    }
  });
}

void SimCharger::report() {
  if (observer_ == nullptr) return;
  const auto now = ctx_.now();
  hal::ConnectorStatus current = snapshot();
  const bool due = !last_reported_ || state_differs(current, *last_reported_) ||
                   (readings_differ(current, *last_reported_) && pacer_.reading_due(now)) ||
                   pacer_.heartbeat_due(now);
  if (!due) return;
  pacer_.sent(now);
  last_reported_ = current;
  observer_->on_connector_status(kConnectorId, current);
}

hal::ConnectorStatus SimCharger::snapshot() const {
  return to_connector_status(pile_);
}

}  // namespace pilemesh::simulator
