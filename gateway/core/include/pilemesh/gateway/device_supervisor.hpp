// Keeps one configured device connected: connects its driver, and when the device is
// unreachable at start or goes away later, marks it offline in the live state and retries with
// backoff — the gateway itself keeps running either way.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <string>

#include "pilemesh/gateway/backoff.hpp"
#include "pilemesh/gateway/driver_context_impl.hpp"
#include "pilemesh/gateway/live_state.hpp"
#include "pilemesh/hal/charger.hpp"
#include "pilemesh/hal/meter.hpp"
#include "pilemesh/plugins/driver_instance.hpp"

namespace pilemesh::gateway {

class DeviceSupervisor {
 public:
  DeviceSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                   std::unique_ptr<DriverContextImpl> context);
  virtual ~DeviceSupervisor();
  DeviceSupervisor(const DeviceSupervisor&) = delete;
  DeviceSupervisor& operator=(const DeviceSupervisor&) = delete;

  // Makes the first connection attempt now; later ones follow by themselves.
  void start();
  // Stops retrying and disconnects the driver.
  void stop();
  // Tries to connect now when offline (the device announced itself), instead of at the next
  // retry.
  void connect_now();
  bool connected() const { return connected_; }
  const std::string& id() const { return id_; }

 protected:
  virtual hal::Status connect_driver() = 0;
  virtual void disconnect_driver() = 0;
  virtual void publish_health(const DeviceHealth& health) = 0;
  // Called by the observer side when the driver reports that the device went away.
  void connection_lost(const hal::Status& why);
  DriverContextImpl& context() { return *context_; }

 private:
  void attempt();
  void go_offline(const std::string& reason);

  boost::asio::io_context& io_;
  std::string id_;
  Backoff backoff_;
  std::unique_ptr<DriverContextImpl> context_;
  boost::asio::steady_timer retry_timer_;
  bool connected_ = false;
  bool stopped_ = false;
  std::uint32_t failed_attempts_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

class PileSupervisor final : public DeviceSupervisor, private hal::ChargerObserver {
 public:
  PileSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                 std::unique_ptr<DriverContextImpl> context,
                 plugins::DriverPtr<hal::Charger> driver, LiveState& state);
  ~PileSupervisor() override;

  // Commands for the API; kUnavailable while the pile is offline.
  hal::Status set_current_limit(hal::ConnectorId connector, std::int32_t milliamps);
  hal::Status set_enabled(hal::ConnectorId connector, bool enabled);
  hal::Status authorize(hal::ConnectorId connector, std::string_view id_token);
  // Who decides on tokens presented at the pile (the sharing service).
  using TokenListener =
      std::function<hal::IdTokenDecision(const std::string& pile, std::string_view token)>;
  void set_token_listener(TokenListener f) { on_token_ = std::move(f); }

 private:
  hal::Status connect_driver() override;
  void disconnect_driver() override;
  void publish_health(const DeviceHealth& health) override;
  void on_connector_status(hal::ConnectorId id,
                           const hal::ConnectorStatus& status) noexcept override;
  void on_connection_lost(const hal::Status& why) noexcept override;
  hal::IdTokenDecision on_id_token(hal::ConnectorId id,
                                   std::string_view id_token) noexcept override;

  plugins::DriverPtr<hal::Charger> driver_;
  LiveState& state_;
  TokenListener on_token_;
};

class MeterSupervisor final : public DeviceSupervisor, private hal::MeterObserver {
 public:
  MeterSupervisor(boost::asio::io_context& io, std::string id, Backoff backoff,
                  std::unique_ptr<DriverContextImpl> context, plugins::DriverPtr<hal::Meter> driver,
                  LiveState& state);
  ~MeterSupervisor() override;

 private:
  hal::Status connect_driver() override;
  void disconnect_driver() override;
  void publish_health(const DeviceHealth& health) override;
  void on_meter_reading(const hal::MeterReading& reading) noexcept override;
  void on_connection_lost(const hal::Status& why) noexcept override;

  plugins::DriverPtr<hal::Meter> driver_;
  LiveState& state_;
};

}  // namespace pilemesh::gateway
