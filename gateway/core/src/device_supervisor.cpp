#include "pilemesh/gateway/device_supervisor.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace pilemesh::gateway {

DeviceSupervisor::DeviceSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                                   std::unique_ptr<DriverContextImpl> context)
    : io_(io),
      id_(std::move(id)),
      backoff_(backoff),
      context_(std::move(context)),
      retry_timer_(io) {
  context_->set_connect_requester([this] { connect_now(); });
}

DeviceSupervisor::~DeviceSupervisor() {
  *alive_ = false;
}

void DeviceSupervisor::start() {
  stopped_ = false;
  attempt();
}

void DeviceSupervisor::stop() {
  stopped_ = true;
  retry_timer_.cancel();
  if (connected_) {
    disconnect_driver();
    connected_ = false;
  }
  context_->cancel_all_timers();
}

void DeviceSupervisor::connect_now() {
  if (stopped_ || connected_) return;
  retry_timer_.cancel();
  attempt();
}

void DeviceSupervisor::attempt() {
  if (stopped_) return;
  const hal::Status status = connect_driver();
  if (status.is_ok()) {
    connected_ = true;
    backoff_.reset();
    if (failed_attempts_ > 0)
      spdlog::info("[{}] online again after {} failed attempts", id_, failed_attempts_);
    else
      spdlog::info("[{}] online", id_);
    failed_attempts_ = 0;
    publish_health({true, "", 0});
    return;
  }
  // A driver may have started timers before failing; they must not outlive the attempt.
  disconnect_driver();
  context_->cancel_all_timers();
  go_offline(status.message().empty() ? std::string(hal::to_string(status.code()))
                                      : status.message());
}

void DeviceSupervisor::go_offline(const std::string& reason) {
  ++failed_attempts_;
  const auto delay = backoff_.next();
  // The first failure is worth a warning; repeating it every retry would flood the journal.
  if (failed_attempts_ == 1) {
    spdlog::warn("[{}] offline: {}; retrying in {} ms, backing off up to the configured maximum",
                 id_, reason, delay.count());
  } else {
    spdlog::debug("[{}] still offline (attempt {}): {}; next retry in {} ms", id_, failed_attempts_,
                  reason, delay.count());
  }
  publish_health({false, reason, failed_attempts_});
  retry_timer_.expires_after(delay);
  std::weak_ptr<bool> alive = alive_;
  retry_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (auto a = alive.lock(); a && *a && !ec) attempt();
  });
}

void DeviceSupervisor::connection_lost(const hal::Status& why) {
  // The driver calls this from inside its own code; tear it down only after that code returns.
  std::weak_ptr<bool> alive = alive_;
  const std::string reason = "connection lost: " + why.message();
  boost::asio::post(io_, [this, alive, reason] {
    auto a = alive.lock();
    if (!a || !*a || !connected_ || stopped_) return;
    connected_ = false;
    disconnect_driver();
    context_->cancel_all_timers();
    failed_attempts_ = 0;
    backoff_.reset();
    go_offline(reason);
  });
}

// --- piles -----------------------------------------------------------------------------------

PileSupervisor::PileSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                               std::unique_ptr<DriverContextImpl> context,
                               plugins::DriverPtr<hal::Charger> driver, LiveState& state)
    : DeviceSupervisor(io, std::move(id), backoff, std::move(context)),
      driver_(std::move(driver)),
      state_(state) {}

PileSupervisor::~PileSupervisor() {
  stop();
  context().cancel_all_timers();
  driver_.reset();
}

hal::Status PileSupervisor::connect_driver() {
  hal::Status status = driver_->connect(*this);
  if (!status.is_ok()) return status;
  std::vector<hal::ConnectorInfo> connectors;
  try {
    connectors = driver_->connectors();
  } catch (const std::exception& e) {
    return hal::Status::internal(std::string("driver failed to list connectors: ") + e.what());
  }
  state_.set_pile_connectors(id(), connectors);
  for (const auto& c : connectors) {
    hal::ConnectorStatus snapshot;
    if (driver_->status(c.id, snapshot).is_ok()) state_.set_connector_status(id(), c.id, snapshot);
  }
  return status;
}

void PileSupervisor::disconnect_driver() {
  driver_->disconnect();
}

void PileSupervisor::publish_health(const DeviceHealth& health) {
  state_.set_pile_health(id(), health);
}

void PileSupervisor::on_connector_status(hal::ConnectorId connector,
                                         const hal::ConnectorStatus& status) noexcept {
  if (!connected()) return;  // late report from a driver being torn down
  try {
    const PileState* pile = state_.find_pile(id());
    if (pile != nullptr) {
      auto it = pile->status.find(connector);
      if (it == pile->status.end() || it->second.state != status.state) {
        spdlog::info("[{}] connector {}: {}{}", id(), connector, hal::to_string(status.state),
                     status.fault.empty() ? "" : " (" + status.fault + ")");
      }
    }
    state_.set_connector_status(id(), connector, status);
  } catch (const std::exception& e) {
    spdlog::error("[{}] cannot record connector status: {}", id(), e.what());
  }
}

hal::IdTokenDecision PileSupervisor::on_id_token(hal::ConnectorId connector,
                                                 std::string_view id_token) noexcept {
  if (!connected()) return hal::IdTokenDecision::kInvalid;
  // The token itself may open a session: it is never logged.
  if (id_token.empty() || id_token.size() > 256) {
    spdlog::warn("[{}] connector {}: an id token of {} bytes was presented; refused", id(),
                 connector, id_token.size());
    return hal::IdTokenDecision::kInvalid;
  }
  if (!on_token_) return hal::IdTokenDecision::kInvalid;
  try {
    return on_token_(id(), id_token);
  } catch (const std::exception& e) {
    spdlog::error("[{}] handling a presented id token failed: {}", id(), e.what());
  }
  return hal::IdTokenDecision::kInvalid;
}

void PileSupervisor::on_connection_lost(const hal::Status& why) noexcept {
  try {
    connection_lost(why);
  } catch (...) {
  }
}

hal::Status PileSupervisor::set_current_limit(hal::ConnectorId connector, std::int32_t milliamps) {
  if (!connected()) return hal::Status::unavailable("pile " + id() + " is offline");
  return driver_->set_current_limit(connector, milliamps);
}

hal::Status PileSupervisor::set_enabled(hal::ConnectorId connector, bool enabled) {
  if (!connected()) return hal::Status::unavailable("pile " + id() + " is offline");
  return driver_->set_enabled(connector, enabled);
}

hal::Status PileSupervisor::authorize(hal::ConnectorId connector, std::string_view id_token) {
  if (!connected()) return hal::Status::unavailable("pile " + id() + " is offline");
  return driver_->authorize(connector, id_token);
}

// --- meters ----------------------------------------------------------------------------------

MeterSupervisor::MeterSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                                 std::unique_ptr<DriverContextImpl> context,
                                 plugins::DriverPtr<hal::Meter> driver, LiveState& state)
    : DeviceSupervisor(io, std::move(id), backoff, std::move(context)),
      driver_(std::move(driver)),
      state_(state) {}

MeterSupervisor::~MeterSupervisor() {
  stop();
  context().cancel_all_timers();
  driver_.reset();
}

hal::Status MeterSupervisor::connect_driver() {
  hal::Status status = driver_->connect(*this);
  if (!status.is_ok()) return status;
  hal::MeterReading reading;
  if (driver_->read(reading).is_ok()) state_.set_meter_reading(id(), reading);
  return status;
}

void MeterSupervisor::disconnect_driver() {
  driver_->disconnect();
}

void MeterSupervisor::publish_health(const DeviceHealth& health) {
  state_.set_meter_health(id(), health);
}

void MeterSupervisor::on_meter_reading(const hal::MeterReading& reading) noexcept {
  if (!connected()) return;
  try {
    state_.set_meter_reading(id(), reading);
  } catch (const std::exception& e) {
    spdlog::error("[{}] cannot record meter reading: {}", id(), e.what());
  }
}

void MeterSupervisor::on_connection_lost(const hal::Status& why) noexcept {
  try {
    connection_lost(why);
  } catch (...) {
  }
}

}  // namespace pilemesh::gateway
