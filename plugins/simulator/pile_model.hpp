// The simulated pile: one connector's state machine, its limits and the current that flows.
//
// Plain physics, stepped by the caller with the simulated time that passed; it knows nothing of
// clocks, timers or observers, so tests drive it deterministically.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "ev_model.hpp"
#include "pilemesh/hal/charger.hpp"

namespace pilemesh::simulator {

struct PileParams {
  double max_current_a = 16.0;  // per phase; also the initial current limit
  int phases = 3;               // phases the pile is wired for: 1 or 3
  bool auto_start = false;      // charge without authorization (a free-vend pile)
};

class PileModel {
 public:
  // The measured current follows its target like a first-order lag with this time constant, but
  // never slower than kRampMinSlewAPerS, so it settles completely: any change up to 63 A is
  // done within 0.9 s, inside the one second the SDK promises for a new limit.
  static constexpr double kRampTauS = 0.2;
  static constexpr double kRampMinSlewAPerS = 10.0;
  // step() integrates in sub-steps no longer than these: short while the current moves, longer
  // while only the slow taper changes it.
  static constexpr double kRampSubStepS = 0.05;
  static constexpr double kSteadySubStepS = 1.0;

  // Throws std::invalid_argument for phases other than 1 or 3 or a non-positive maximum.
  explicit PileModel(const PileParams& params);

  // The vehicle. plug() replaces an EV already plugged in; unplug() ends its session.
  void plug(const EvParams& ev);
  void unplug() noexcept;
  bool plugged() const noexcept { return ev_.has_value(); }
  const EvModel* ev() const noexcept { return ev_ ? &*ev_ : nullptr; }

  // Commands. Preconditions (checked by the driver): amps >= 0, phases 1 or 3.
  // The limit is clamped to the pile's maximum; a limit of 0 pauses charging.
  void set_current_limit_a(double amps) noexcept;
  // Selects 1 or 3 phases, at most the wired phases.
  void set_phases(int phases) noexcept;
  void set_enabled(bool enabled) noexcept;
  // Authorizes `id_token`; an empty token withdraws the authorization, which ends the session
  // (Finishing) while the EV stays plugged in. Unplugging clears the authorization.
  void authorize(std::string id_token);
  // A fault stops the current at once and holds the connector in Faulted until cleared.
  void set_fault(std::string text);
  void clear_fault() noexcept;

  // Advances the physics by `dt_s` simulated seconds.
  void step(double dt_s) noexcept;

  hal::ConnectorState state() const noexcept;
  double max_current_a() const noexcept { return max_current_a_; }
  int wired_phases() const noexcept { return wired_phases_; }
  int selected_phases() const noexcept { return selected_phases_; }
  // Phases carrying current now: 0 when none flows, else 1 or 3.
  int active_phases() const noexcept;
  double limit_a() const noexcept { return limit_a_; }
  bool enabled() const noexcept { return enabled_; }
  bool auto_start() const noexcept { return auto_start_; }
  const std::string& id_token() const noexcept { return id_token_; }
  const std::string& fault() const noexcept { return fault_; }

  // Measured current on each active phase.
  double current_a() const noexcept { return current_a_; }
  // The current the pile and the EV agree on now; current_a() ramps towards it.
  double target_current_a() const noexcept;
  double voltage_v() const noexcept { return kNominalVoltageV; }
  double power_w() const noexcept;
  // Energy delivered since the pile was created. Only ever grows.
  double energy_wh() const noexcept { return energy_wh_; }
  // The integer register a real pile reports: whole Wh delivered.
  std::int64_t energy_register_wh() const noexcept;

 private:
  int phases_in_use() const noexcept;
  void sub_step(double dt_s) noexcept;

  double max_current_a_;
  int wired_phases_;
  bool auto_start_;
  int selected_phases_;
  double limit_a_;
  bool enabled_ = true;
  std::string id_token_;
  bool finishing_ = false;
  std::string fault_;
  std::optional<EvModel> ev_;
  double current_a_ = 0.0;
  double energy_wh_ = 0.0;
};

}  // namespace pilemesh::simulator
