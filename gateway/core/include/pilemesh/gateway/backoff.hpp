// Reconnect delays for an unreachable device: doubling from `initial` up to `max`, reset after
// a success. Pure, so the schedule is tested without waiting.
#pragma once

#include <algorithm>
#include <chrono>

namespace pilemesh::gateway {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max)
      : initial_(initial), max_(std::max(initial, max)), next_(initial) {}

  // The delay before the next attempt; each call doubles the following one, up to max.
  std::chrono::milliseconds next() {
    const auto delay = next_;
    next_ = std::min(max_, next_ * 2);
    return delay;
  }
  void reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_, max_, next_;
};

}  // namespace pilemesh::gateway
