// When a configured fault strikes: once, a fixed simulated time after the first connect.
#pragma once

#include "sim_config.hpp"

namespace pilemesh::simulator {

class FaultSchedule {
 public:
  explicit FaultSchedule(const FaultConfig& config) noexcept : config_(config) {}

  FaultMode mode() const noexcept { return config_.mode; }

  // Starts the countdown at the first connect; later connects do not restart it, so a
  // comm_loss happens once per driver and the gateway's reconnect then succeeds for good.
  void on_connect(double sim_time_s) noexcept {
    if (!armed_) due_at_s_ = sim_time_s + config_.after_s;
    armed_ = true;
  }

  // True exactly once, at the first call at or after the fault time.
  bool strikes(double sim_time_s) noexcept {
    if (!armed_ || struck_ || config_.mode == FaultMode::kNone) return false;
    if (sim_time_s + 1e-9 < due_at_s_) return false;
    struck_ = true;
    return true;
  }

 private:
  FaultConfig config_;
  bool armed_ = false;
  bool struck_ = false;
  double due_at_s_ = 0.0;
};

}  // namespace pilemesh::simulator
