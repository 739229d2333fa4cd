#include "fake_driver_context.hpp"

#include <algorithm>
#include <exception>
#include <utility>

namespace pilemesh::test {

FakeDriverContext::FakeDriverContext(std::string device_id, std::span<const hal::SettingSpec> specs)
    : device_id_(std::move(device_id)), settings_(specs) {}

FakeDriverContext::WallTime FakeDriverContext::wall_now() const noexcept {
  return kWallStart + std::chrono::duration_cast<WallTime::duration>(now_ - kSteadyStart);
}

hal::TimerId FakeDriverContext::start_timer(std::chrono::milliseconds delay,
                                            std::chrono::milliseconds period,
                                            std::function<void()> callback) noexcept {
  const hal::TimerId id = next_timer_id_++;
  timers_.emplace(id, Timer{now_ + std::max(delay, std::chrono::milliseconds(0)), period,
                            std::make_shared<std::function<void()>>(std::move(callback))});
  return id;
}

void FakeDriverContext::cancel_timer(hal::TimerId id) noexcept {
  timers_.erase(id);
}

void FakeDriverContext::post(std::function<void()> fn) noexcept {
  std::lock_guard lock(posted_mutex_);
  posted_.push_back(std::move(fn));
}

std::size_t FakeDriverContext::pending_posts() const {
  std::lock_guard lock(posted_mutex_);
  return posted_.size();
}

void FakeDriverContext::invoke(const std::function<void()>& fn) noexcept {
  try {
    if (fn) fn();
  } catch (const std::exception& e) {
    ++escaped_exceptions_;
    logger_.error(std::string("callback threw: ") + e.what());
  } catch (...) {
    ++escaped_exceptions_;
    logger_.error("callback threw a non-standard exception");
  }
}

void FakeDriverContext::run_posted() {
  for (;;) {
    std::function<void()> fn;
    {
      std::lock_guard lock(posted_mutex_);
      if (posted_.empty()) return;
      fn = std::move(posted_.front());
      posted_.pop_front();
    }
    invoke(fn);
  }
}

void FakeDriverContext::advance(std::chrono::nanoseconds duration) {
  const SteadyTime end = now_ + std::max(duration, std::chrono::nanoseconds(0));
  run_posted();
  for (;;) {
    // The earliest due timer; the map is ordered by id, so ties go to the older timer.
    auto next = timers_.end();
    for (auto it = timers_.begin(); it != timers_.end(); ++it) {
      if (it->second.due <= end && (next == timers_.end() || it->second.due < next->second.due)) {
        next = it;
      }
    }
    if (next == timers_.end()) break;
    now_ = std::max(now_, next->second.due);
    const auto callback = next->second.callback;
    if (next->second.period > std::chrono::milliseconds(0)) {
      next->second.due += next->second.period;
    } else {
      timers_.erase(next);
    }
    invoke(*callback);
    run_posted();
  }
  now_ = end;
  run_posted();
}

}  // namespace pilemesh::test
