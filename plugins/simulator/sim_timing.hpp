// Turning the gateway's clock into simulated time, and pacing the readings a driver reports.
#pragma once

#include <chrono>

namespace pilemesh::simulator {

using Clock = std::chrono::steady_clock;

// Simulated time: real (context) time multiplied by the time scale.
class SimClock {
 public:
  SimClock(Clock::time_point start, double scale) noexcept : last_(start), scale_(scale) {}

  // Moves to `now` and returns the simulated seconds that passed (0 if the clock did not move).
  double advance(Clock::time_point now) noexcept {
    if (now <= last_) return 0.0;
    const double dt = std::chrono::duration<double>(now - last_).count() * scale_;
    last_ = now;
    sim_time_s_ += dt;
    return dt;
  }
  double sim_time_s() const noexcept { return sim_time_s_; }

 private:
  Clock::time_point last_;
  double scale_;
  double sim_time_s_ = 0.0;
};

// Readings are reported at least every `max_gap`: when waiting for the next tick would make the
// gap longer, the reading goes out now. An unchanged reading is repeated every kHeartbeat so
// the gateway sees the device alive.
class ReadingPacer {
 public:
  static constexpr std::chrono::seconds kHeartbeat{30};

  explicit ReadingPacer(std::chrono::milliseconds tick,
                        std::chrono::milliseconds max_gap = std::chrono::seconds(1)) noexcept
      : tick_(tick), max_gap_(max_gap) {}

  bool reading_due(Clock::time_point now) const noexcept {
    return !sent_once_ || now + tick_ > last_ + max_gap_;
  }
  bool heartbeat_due(Clock::time_point now) const noexcept {
    return !sent_once_ || now - last_ >= kHeartbeat;
  }
  void sent(Clock::time_point now) noexcept {
    last_ = now;
    sent_once_ = true;
  }
  void reset() noexcept { sent_once_ = false; }

 private:
  std::chrono::milliseconds tick_;
  std::chrono::milliseconds max_gap_;
  Clock::time_point last_{};
  bool sent_once_ = false;
};

}  // namespace pilemesh::simulator
