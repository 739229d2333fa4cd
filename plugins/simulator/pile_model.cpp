#include "pile_model.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace pilemesh::simulator {

using hal::ConnectorState;

PileModel::PileModel(const PileParams& params)
    : max_current_a_(params.max_current_a),
      wired_phases_(params.phases),
      auto_start_(params.auto_start),
      selected_phases_(params.phases),
      limit_a_(params.max_current_a) {
  if (wired_phases_ != 1 && wired_phases_ != 3) {
    throw std::invalid_argument("pile phases must be 1 or 3, not " + std::to_string(wired_phases_));
  }
  if (!(max_current_a_ > 0.0)) throw std::invalid_argument("pile max current must be positive");
}

void PileModel::plug(const EvParams& ev) {
  ev_.emplace(ev);
  current_a_ = 0.0;
  finishing_ = false;
}

void PileModel::unplug() noexcept {
  ev_.reset();
  current_a_ = 0.0;
  finishing_ = false;
  id_token_.clear();
}

void PileModel::set_current_limit_a(double amps) noexcept {
  limit_a_ = std::clamp(amps, 0.0, max_current_a_);
}

void PileModel::set_phases(int phases) noexcept {
  selected_phases_ = std::min(phases == 1 ? 1 : 3, wired_phases_);
}

void PileModel::set_enabled(bool enabled) noexcept {
  enabled_ = enabled;
}

void PileModel::authorize(std::string id_token) {
  if (id_token.empty()) {
    // Withdrawing ends the session only if there was one; the EV stays plugged in.
    if (!id_token_.empty() && ev_) finishing_ = true;
    id_token_.clear();
    return;
  }
  id_token_ = std::move(id_token);
  finishing_ = false;
}

void PileModel::set_fault(std::string text) {
  fault_ = text.empty() ? std::string("fault") : std::move(text);
  current_a_ = 0.0;
}

void PileModel::clear_fault() noexcept {
  fault_.clear();
}

ConnectorState PileModel::state() const noexcept {
  if (!fault_.empty()) return ConnectorState::kFaulted;
  if (!ev_) return ConnectorState::kAvailable;
  if (finishing_) return ConnectorState::kFinishing;
  if (id_token_.empty() && !auto_start_) return ConnectorState::kPreparing;
  if (ev_->full()) return ConnectorState::kSuspendedEV;
  if (!enabled_ || limit_a_ <= 0.0) return ConnectorState::kSuspendedEVSE;
  return ConnectorState::kCharging;
}

int PileModel::phases_in_use() const noexcept {
  return ev_ ? std::min(selected_phases_, ev_->phases()) : 0;
}

int PileModel::active_phases() const noexcept {
  return current_a_ > 0.0 ? phases_in_use() : 0;
}

double PileModel::target_current_a() const noexcept {
  if (state() != ConnectorState::kCharging) return 0.0;
  return std::min({limit_a_, max_current_a_, ev_->accepted_current_a()});
}

double PileModel::power_w() const noexcept {
  return active_phases() * kNominalVoltageV * current_a_;
}

std::int64_t PileModel::energy_register_wh() const noexcept {
  return static_cast<std::int64_t>(std::floor(energy_wh_));
}

void PileModel::step(double dt_s) noexcept {
  while (dt_s > 0.0) {
    const bool ramping = std::abs(target_current_a() - current_a_) > 1e-9;
    const double sub = std::min(dt_s, ramping ? kRampSubStepS : kSteadySubStepS);
    sub_step(sub);
    dt_s -= sub;
  }
}

void PileModel::sub_step(double dt_s) noexcept {
  const ConnectorState s = state();
  // Only the pile itself ramps the current (new limit, disable): the EV side stops at once
  // when it is full, unplugged, or the pile faults.
  if (s != ConnectorState::kCharging && s != ConnectorState::kSuspendedEVSE) {
    current_a_ = 0.0;
    return;
  }
  const double target = target_current_a();
  const double before = current_a_;
  const double error = target - before;
  const double lagged = std::abs(error) * std::exp(-dt_s / kRampTauS);
  const double slewed = std::abs(error) - kRampMinSlewAPerS * dt_s;
  const double remaining = std::max(0.0, std::min(lagged, slewed));
  current_a_ = target - std::copysign(remaining, error);

  const double grid_wh =
      phases_in_use() * kNominalVoltageV * (before + current_a_) / 2.0 * dt_s / 3600.0;
  const double taken = ev_->absorb(grid_wh);
  energy_wh_ += taken;
  // A full battery opens the EV's contactor.
  if (ev_->full()) current_a_ = 0.0;
}

}  // namespace pilemesh::simulator
