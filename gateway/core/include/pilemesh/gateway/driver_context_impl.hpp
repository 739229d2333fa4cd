// The DriverContext the gateway lends each driver: spdlog-backed logger, the real clocks, the
// device's validated settings, and timers on the gateway's io_context.
#pragma once

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>

#include "pilemesh/config/config.hpp"
#include "pilemesh/hal/driver_context.hpp"

namespace pilemesh::gateway {

class DriverContextImpl final : public hal::DriverContext {
 public:
  DriverContextImpl(boost::asio::io_context& io, std::string device_id,
                    config::ResolvedSettings settings);
  ~DriverContextImpl() override;

  std::string_view device_id() const noexcept override { return device_id_; }
  hal::Logger& logger() noexcept override { return logger_; }
  const hal::Settings& settings() const noexcept override { return settings_; }
  std::chrono::steady_clock::time_point now() const noexcept override;
  std::chrono::system_clock::time_point wall_now() const noexcept override;
  hal::TimerId start_timer(std::chrono::milliseconds delay, std::chrono::milliseconds period,
                           std::function<void()> callback) noexcept override;
  void cancel_timer(hal::TimerId id) noexcept override;
  void post(std::function<void()> fn) noexcept override;
  void request_connect() noexcept override;
  hal::OcppEndpoint* ocpp_endpoint() noexcept override { return ocpp_endpoint_; }

  // What the gateway lends: the OCPP listener (may stay null), and who hears request_connect()
  // (the device's supervisor).
  void set_ocpp_endpoint(hal::OcppEndpoint* endpoint) noexcept { ocpp_endpoint_ = endpoint; }
  void set_connect_requester(std::function<void()> f) { connect_requester_ = std::move(f); }

  // Cancels every timer the driver started (on disconnect and before destruction).
  void cancel_all_timers() noexcept;
  std::size_t active_timers() const { return timers_.size(); }

 private:
  class SpdLogger final : public hal::Logger {
   public:
    explicit SpdLogger(std::string device_id) : device_id_(std::move(device_id)) {}
    void log(hal::LogLevel level, std::string_view message) noexcept override;

   private:
    std::string device_id_;
  };
  struct Timer;
  void arm(const std::shared_ptr<Timer>& timer, std::chrono::milliseconds delay);
  void wait(const std::shared_ptr<Timer>& timer);
  // Runs driver code; an exception escaping it is logged, never propagated into the loop.
  void run_guarded(const std::function<void()>& fn, std::string_view what) noexcept;

  boost::asio::io_context& io_;
  std::string device_id_;
  config::ResolvedSettings settings_;
  SpdLogger logger_;
  hal::OcppEndpoint* ocpp_endpoint_ = nullptr;
  std::function<void()> connect_requester_;
  hal::TimerId next_id_ = 1;
  std::map<hal::TimerId, std::shared_ptr<Timer>> timers_;
  // Posted functions check this so that nothing runs after the context is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace pilemesh::gateway
