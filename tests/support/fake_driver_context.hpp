// FakeDriverContext: a hal::DriverContext on a manual clock, to drive a driver in a test
// deterministically, with no threads, sleeps or real time.
//
//   FakeDriverContext ctx("pile-1", kChargerSettings);  // settings start at their defaults
//   ctx.settings().set_int("phases", 1);
//   SimCharger charger(ctx);
//   RecordingChargerObserver observer(&ctx);
//   charger.connect(observer);
//   ctx.advance(std::chrono::seconds(5));  // runs due timers and posted functions, in order
//
// Time only moves in advance(). Timers fire at their due time in due-time order (ties in start
// order); a periodic timer fires once per period passed. Posted functions queue up and run at
// the current time, before the next timer, on advance() or run_posted(). Callbacks run on the
// test's thread; post() may be called from any thread.
//
// An exception escaping a callback is caught (as the gateway does), logged at kError and
// counted in escaped_exceptions(), so a test can assert that none escaped.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>

#include "fake_settings.hpp"
#include "pilemesh/hal/driver_context.hpp"
#include "recording_logger.hpp"

namespace pilemesh::test {

class FakeDriverContext : public hal::DriverContext {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;
  using WallTime = std::chrono::system_clock::time_point;

  // Where the clocks start: an arbitrary, fixed point, so that runs are reproducible.
  static constexpr SteadyTime kSteadyStart = SteadyTime(std::chrono::hours(1000));
  // 2024-06-01 12:00:00 UTC.
  static constexpr WallTime kWallStart = WallTime(std::chrono::seconds(1717243200));

  explicit FakeDriverContext(std::string device_id = "test-device",
                             std::span<const hal::SettingSpec> specs = {});

  // hal::DriverContext.
  std::string_view device_id() const noexcept override { return device_id_; }
  hal::Logger& logger() noexcept override { return logger_; }
  const hal::Settings& settings() const noexcept override { return settings_; }
  SteadyTime now() const noexcept override { return now_; }
  WallTime wall_now() const noexcept override;
  hal::TimerId start_timer(std::chrono::milliseconds delay, std::chrono::milliseconds period,
                           std::function<void()> callback) noexcept override;
  void cancel_timer(hal::TimerId id) noexcept override;
  void post(std::function<void()> fn) noexcept override;
  void request_connect() noexcept override { ++connect_requests_; }
  hal::OcppEndpoint* ocpp_endpoint() noexcept override { return ocpp_endpoint_; }

  // The endpoint ocpp_endpoint() lends (none by default).
  void set_ocpp_endpoint(hal::OcppEndpoint* endpoint) noexcept { ocpp_endpoint_ = endpoint; }
  std::size_t connect_requests() const noexcept { return connect_requests_; }

  // The settings, to fill before creating the driver (drivers read them in their constructor).
  FakeSettings& settings() noexcept { return settings_; }
  RecordingLogger& recorded_log() noexcept { return logger_; }

  // Moves the clock forward by `duration`, running every timer that falls due on the way and
  // every posted function.
  void advance(std::chrono::nanoseconds duration);
  // Runs the posted functions queued now (and the ones they post) without moving the clock.
  void run_posted();

  // Time passed since the context was created.
  std::chrono::nanoseconds elapsed() const noexcept { return now_ - kSteadyStart; }
  std::size_t active_timers() const noexcept { return timers_.size(); }
  std::size_t pending_posts() const;
  std::size_t escaped_exceptions() const noexcept { return escaped_exceptions_; }

 private:
  hal::OcppEndpoint* ocpp_endpoint_ = nullptr;
  std::size_t connect_requests_ = 0;
  struct Timer {
    SteadyTime due;
    std::chrono::milliseconds period;
    // Shared so a callback that cancels its own timer stays alive while it runs.
    std::shared_ptr<std::function<void()>> callback;
  };

  void invoke(const std::function<void()>& fn) noexcept;

  std::string device_id_;
  FakeSettings settings_;
  RecordingLogger logger_;
  SteadyTime now_ = kSteadyStart;
  hal::TimerId next_timer_id_ = 1;
  std::map<hal::TimerId, Timer> timers_;
  mutable std::mutex posted_mutex_;
  std::deque<std::function<void()>> posted_;
  std::size_t escaped_exceptions_ = 0;
};

}  // namespace pilemesh::test
