// pilemesh plugin SDK — DriverContext: what the gateway lends to each driver instance.
//
// Threading: the gateway runs one event loop. Every call into a driver (connect, commands,
// disconnect) and every callback a driver registered here (timers, posted functions) runs on
// that loop's thread, one at a time — a driver needs no locks for its own state as long as it
// stays on the loop. A driver that must block (a slow serial line) does so on a thread of its
// own and hands results back with post(). Callbacks must not throw; the gateway logs and drops
// an exception that escapes one, but the driver's state is then whatever it was.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "pilemesh/hal/ocpp_endpoint.hpp"
#include "pilemesh/hal/settings.hpp"

namespace pilemesh::hal {

enum class LogLevel { kTrace, kDebug, kInfo, kWarn, kError };

// The driver's logger. Lines are prefixed by the gateway with the device id, so a message only
// needs to say what happened. Thread-safety: safe from any thread.
class Logger {
 public:
  virtual ~Logger() = default;
  virtual void log(LogLevel level, std::string_view message) noexcept = 0;
  void debug(std::string_view m) noexcept { log(LogLevel::kDebug, m); }
  void info(std::string_view m) noexcept { log(LogLevel::kInfo, m); }
  void warn(std::string_view m) noexcept { log(LogLevel::kWarn, m); }
  void error(std::string_view m) noexcept { log(LogLevel::kError, m); }
};

// Identifies a timer started with DriverContext::start_timer. 0 is never a valid id.
using TimerId = std::uint64_t;

class DriverContext {
 public:
  virtual ~DriverContext() = default;

  // The device id from the configuration ("pile-1", "house-meter").
  virtual std::string_view device_id() const noexcept = 0;

  virtual Logger& logger() noexcept = 0;

  // This device's validated settings (see settings.hpp).
  virtual const Settings& settings() const noexcept = 0;

  // The gateway's clock. Use it instead of std::chrono clocks, so that tests can drive a
  // driver with a virtual clock. `now()` is monotonic; `wall_now()` is calendar time.
  virtual std::chrono::steady_clock::time_point now() const noexcept = 0;
  virtual std::chrono::system_clock::time_point wall_now() const noexcept = 0;

  // Runs `callback` on the event loop after `delay`, then every `period` if `period` > 0.
  // Returns the timer's id for cancel_timer(). Timers of a driver are cancelled by the gateway
  // when the driver is disconnected or destroyed.
  virtual TimerId start_timer(std::chrono::milliseconds delay, std::chrono::milliseconds period,
                              std::function<void()> callback) noexcept = 0;
  // Cancels a timer; a callback already due may not run any more. Unknown ids are ignored.
  virtual void cancel_timer(TimerId id) noexcept = 0;

  // Runs `fn` on the event loop as soon as possible. Safe to call from any thread.
  virtual void post(std::function<void()> fn) noexcept = 0;

  // Asks the gateway to call connect() again now rather than after the backoff delay: for a
  // device that announces itself (a charge point that opened its WebSocket) while the driver is
  // not connected. Ignored while connected.
  virtual void request_connect() noexcept = 0;

  // Transports the gateway lends (a driver never opens a port or a serial line itself).
  // The OCPP-J listener (ocpp_endpoint.hpp); nullptr when the gateway runs none
  // (`ocpp.enabled = false`). Owned by the gateway; outlives the driver.
  virtual OcppEndpoint* ocpp_endpoint() noexcept = 0;
};

}  // namespace pilemesh::hal
