#include "pilemesh/gateway/driver_context_impl.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

namespace pilemesh::gateway {

struct DriverContextImpl::Timer {
  Timer(boost::asio::io_context& io, hal::TimerId timer_id, std::chrono::milliseconds every,
        std::function<void()> fn)
      : timer(io), id(timer_id), period(every), callback(std::move(fn)) {}
  boost::asio::steady_timer timer;
  hal::TimerId id;
  std::chrono::milliseconds period;
  std::function<void()> callback;
};

DriverContextImpl::DriverContextImpl(boost::asio::io_context& io, std::string device_id,
                                     config::ResolvedSettings settings)
    : io_(io), device_id_(device_id), settings_(std::move(settings)), logger_(device_id) {}

DriverContextImpl::~DriverContextImpl() {
  *alive_ = false;
  cancel_all_timers();
}

void DriverContextImpl::SpdLogger::log(hal::LogLevel level, std::string_view message) noexcept {
  try {
    const auto lvl = [&] {
      switch (level) {
        case hal::LogLevel::kTrace:
          return spdlog::level::trace;
        case hal::LogLevel::kDebug:
          return spdlog::level::debug;
        case hal::LogLevel::kInfo:
          return spdlog::level::info;
        case hal::LogLevel::kWarn:
          return spdlog::level::warn;
        case hal::LogLevel::kError:
          return spdlog::level::err;
      }
      return spdlog::level::info;
    }();
    spdlog::log(lvl, "[{}] {}", device_id_, message);
  } catch (...) {
    // Logging must never take the driver down.
  }
}

std::chrono::steady_clock::time_point DriverContextImpl::now() const noexcept {
  return std::chrono::steady_clock::now();
}

std::chrono::system_clock::time_point DriverContextImpl::wall_now() const noexcept {
  return std::chrono::system_clock::now();
}

void DriverContextImpl::run_guarded(const std::function<void()>& fn,
                                    std::string_view what) noexcept {
  try {
    fn();
  } catch (const std::exception& e) {
    spdlog::error("[{}] driver {} threw: {} (ignored)", device_id_, what, e.what());
  } catch (...) {
    spdlog::error("[{}] driver {} threw an unknown exception (ignored)", device_id_, what);
  }
}

hal::TimerId DriverContextImpl::start_timer(std::chrono::milliseconds delay,
                                            std::chrono::milliseconds period,
                                            std::function<void()> callback) noexcept {
  try {
    auto timer = std::make_shared<Timer>(io_, next_id_++, period, std::move(callback));
    timers_.emplace(timer->id, timer);
    arm(timer, delay);
    return timer->id;
  } catch (...) {
    return 0;
  }
}

void DriverContextImpl::arm(const std::shared_ptr<Timer>& timer, std::chrono::milliseconds delay) {
  timer->timer.expires_after(delay);
  wait(timer);
}

void DriverContextImpl::wait(const std::shared_ptr<Timer>& timer) {
  std::weak_ptr<Timer> weak = timer;
  timer->timer.async_wait([this, weak](const boost::system::error_code& ec) {
    auto t = weak.lock();
    if (ec || !t) return;  // cancelled, or the context is gone
    if (t->period.count() > 0) {
      // Re-arm from the deadline so a periodic timer does not drift; after a stall (a slow
      // callback, a suspended process) skip the missed rounds instead of bursting through them.
      auto next = t->timer.expiry() + t->period;
      if (next < std::chrono::steady_clock::now())
        next = std::chrono::steady_clock::now() + t->period;
      t->timer.expires_at(next);
      wait(t);
    } else {
      timers_.erase(t->id);
    }
    run_guarded(t->callback, "timer");
  });
}

void DriverContextImpl::cancel_timer(hal::TimerId id) noexcept {
  if (auto it = timers_.find(id); it != timers_.end()) {
    it->second->timer.cancel();
    timers_.erase(it);
  }
}

void DriverContextImpl::cancel_all_timers() noexcept {
  for (auto& [id, timer] : timers_) timer->timer.cancel();
  timers_.clear();
}

void DriverContextImpl::post(std::function<void()> fn) noexcept {
  try {
    std::weak_ptr<bool> alive = alive_;
    boost::asio::post(io_, [this, alive, fn = std::move(fn)] {
      if (auto a = alive.lock(); a && *a) run_guarded(fn, "posted function");
    });
  } catch (...) {
  }
}

void DriverContextImpl::request_connect() noexcept {
  // Through the loop: the driver asks from inside its own code, and connect() must not run
  // inside it.
  post([this] {
    if (connect_requester_) connect_requester_();
  });
}

}  // namespace pilemesh::gateway
