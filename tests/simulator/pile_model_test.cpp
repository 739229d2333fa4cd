// The pile's physics and connector state machine, stepped on virtual time.
#include "pile_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace pilemesh::simulator {
namespace {

using hal::ConnectorState;

constexpr EvParams kEv{.battery_kwh = 60, .soc_pct = 35, .max_current_a = 32, .phases = 3};

// Steps in `dt` until the current equals `amps` exactly; returns the time it took.
double time_to_reach(PileModel& pile, double amps, double dt = 0.01, double limit_s = 5.0) {
  double t = 0.0;
  while (pile.current_a() != amps && t < limit_s) {
    pile.step(dt);
    t += dt;
  }
  return t;
}

TEST(PileModel, StartsAvailableEnabledAtMaximumLimit) {
  PileModel pile({.max_current_a = 16, .phases = 3});
  EXPECT_EQ(pile.state(), ConnectorState::kAvailable);
  EXPECT_TRUE(pile.enabled());
  EXPECT_DOUBLE_EQ(pile.limit_a(), 16.0);
  EXPECT_EQ(pile.active_phases(), 0);
  EXPECT_DOUBLE_EQ(pile.power_w(), 0.0);
  EXPECT_THROW(PileModel({.phases = 2}), std::invalid_argument);
}

TEST(PileModel, PlugAuthorizeChargeUnplug) {
  PileModel pile({.max_current_a = 16, .phases = 3});
  pile.plug(kEv);
  EXPECT_EQ(pile.state(), ConnectorState::kPreparing);
  pile.step(5.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 0.0);
  pile.authorize("tag-1");
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
  pile.step(2.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 16.0);
  EXPECT_EQ(pile.active_phases(), 3);
  EXPECT_DOUBLE_EQ(pile.power_w(), 3 * 230.0 * 16.0);
  pile.unplug();
  EXPECT_EQ(pile.state(), ConnectorState::kAvailable);
  EXPECT_EQ(pile.id_token(), "");
  EXPECT_DOUBLE_EQ(pile.power_w(), 0.0);
}

TEST(PileModel, AutoStartChargesWithoutAuthorization) {
  PileModel pile({.max_current_a = 16, .phases = 3, .auto_start = true});
  pile.plug(kEv);
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
  pile.step(1.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 16.0);
}

TEST(PileModel, CurrentIsTheSmallestOfLimitPileAndEv) {
  PileModel pile({.max_current_a = 32, .phases = 3, .auto_start = true});
  pile.plug({.max_current_a = 20, .phases = 3});
  pile.step(2.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 20.0);
  pile.set_current_limit_a(10.0);
  pile.step(2.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 10.0);
  // A limit above the pile's maximum is clamped to it.
  pile.set_current_limit_a(100.0);
  EXPECT_DOUBLE_EQ(pile.limit_a(), 32.0);
}

TEST(PileModel, NewLimitIsReachedWithinOneSecond) {
  PileModel pile({.max_current_a = 63, .phases = 3, .auto_start = true});
  pile.plug({.soc_pct = 10, .max_current_a = 63, .phases = 3});
  EXPECT_LE(time_to_reach(pile, 63.0), 1.0);
  pile.set_current_limit_a(6.0);
  EXPECT_LE(time_to_reach(pile, 6.0), 1.0);
  pile.set_current_limit_a(63.0);
  EXPECT_LE(time_to_reach(pile, 63.0), 1.0);
  // The ramp is a response, not a jump: halfway after a short moment.
  pile.set_current_limit_a(0.0);
  pile.step(0.05);
  EXPECT_GT(pile.current_a(), 0.0);
  EXPECT_LT(pile.current_a(), 63.0);
  EXPECT_LE(time_to_reach(pile, 0.0), 1.0);
}

TEST(PileModel, OneBigStepReachesTheLimitToo) {
  PileModel pile({.max_current_a = 32, .phases = 3, .auto_start = true});
  pile.plug(kEv);
  pile.step(1.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 32.0);
  pile.set_current_limit_a(8.0);
  pile.step(1.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 8.0);
}

TEST(PileModel, PowerIsPhasesTimesVoltageTimesCurrent) {
  PileModel three({.max_current_a = 16, .phases = 3, .auto_start = true});
  three.plug(kEv);
  three.step(2.0);
  EXPECT_DOUBLE_EQ(three.power_w(), 11040.0);

  // A 1-phase EV on a 3-phase pile draws on L1 only.
  PileModel one_phase_ev({.max_current_a = 16, .phases = 3, .auto_start = true});
  one_phase_ev.plug({.max_current_a = 32, .phases = 1});
  one_phase_ev.step(2.0);
  EXPECT_EQ(one_phase_ev.active_phases(), 1);
  EXPECT_DOUBLE_EQ(one_phase_ev.power_w(), 3680.0);

  // Switching the pile to 1 phase does the same for a 3-phase EV.
  three.set_phases(1);
  three.step(1.0);
  EXPECT_EQ(three.active_phases(), 1);
  EXPECT_DOUBLE_EQ(three.power_w(), 3680.0);
  three.set_phases(3);
  three.step(1.0);
  EXPECT_DOUBLE_EQ(three.power_w(), 11040.0);
}

TEST(PileModel, TapersNearFullAndSuspendsWhenFull) {
  PileModel pile({.max_current_a = 32, .phases = 3, .auto_start = true});
  pile.plug({.battery_kwh = 20, .soc_pct = 75, .max_current_a = 32, .phases = 3});
  pile.step(2.0);
  EXPECT_DOUBLE_EQ(pile.current_a(), 32.0);
  while (pile.ev()->soc() < 0.9) pile.step(1.0);
  EXPECT_NEAR(pile.current_a(), 16.0, 0.5);
  double seconds = 0.0;
  while (pile.state() == ConnectorState::kCharging && seconds < 6 * 3600.0) {
    pile.step(10.0);
    seconds += 10.0;
  }
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEV);
  EXPECT_TRUE(pile.ev()->full());
  EXPECT_DOUBLE_EQ(pile.current_a(), 0.0);
  EXPECT_EQ(pile.active_phases(), 0);
  EXPECT_DOUBLE_EQ(pile.power_w(), 0.0);
}

TEST(PileModel, EnergyMatchesIntegratedPowerAndNeverDecreases) {
  PileModel pile({.max_current_a = 32, .phases = 3, .auto_start = true});
  pile.plug({.battery_kwh = 20, .soc_pct = 60, .max_current_a = 32, .phases = 3});
  const double soc_start = pile.ev()->soc();
  double integrated_wh = 0.0;
  double previous_wh = 0.0;
  std::int64_t previous_register = 0;
  const double dt = 0.5;
  for (int i = 0; i < 4 * 3600 * 2; ++i) {
    const double p_before = pile.power_w();
    pile.step(dt);
    integrated_wh += (p_before + pile.power_w()) / 2.0 * dt / 3600.0;
    ASSERT_GE(pile.energy_wh(), previous_wh);
    ASSERT_GE(pile.energy_register_wh(), previous_register);
    previous_wh = pile.energy_wh();
    previous_register = pile.energy_register_wh();
    if (i == 100) {
      pile.set_current_limit_a(10.0);  // include a ramp in the integral
    }
  }
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEV);
  EXPECT_NEAR(pile.energy_wh(), integrated_wh, 2.0);
  EXPECT_EQ(pile.energy_register_wh(), static_cast<std::int64_t>(std::floor(pile.energy_wh())));
  // What the pile delivered is what the battery stored, plus losses.
  const double stored_wh = (pile.ev()->soc() - soc_start) * 20000.0;
  EXPECT_NEAR(pile.energy_wh() * EvModel::kEfficiency, stored_wh, 1e-6);
}

TEST(PileModel, DisableOrZeroLimitSuspendsByThePile) {
  PileModel pile({.max_current_a = 16, .phases = 3, .auto_start = true});
  pile.plug(kEv);
  pile.step(2.0);
  pile.set_enabled(false);
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEVSE);
  EXPECT_LE(time_to_reach(pile, 0.0), 1.0);
  EXPECT_EQ(pile.active_phases(), 0);
  pile.set_enabled(true);
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
  pile.set_current_limit_a(0.0);
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEVSE);
  pile.set_current_limit_a(16.0);
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
}

TEST(PileModel, FullEvIsSuspendedByTheEvEvenWhenDisabled) {
  PileModel pile({.max_current_a = 16, .phases = 3, .auto_start = true});
  pile.plug({.soc_pct = 100});
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEV);
  pile.set_enabled(false);
  EXPECT_EQ(pile.state(), ConnectorState::kSuspendedEV);
}

TEST(PileModel, WithdrawnAuthorizationFinishesTheSession) {
  PileModel pile({.max_current_a = 16, .phases = 3});
  pile.plug(kEv);
  pile.authorize("tag-1");
  pile.step(2.0);
  pile.authorize("");
  EXPECT_EQ(pile.state(), ConnectorState::kFinishing);
  pile.step(0.1);
  EXPECT_DOUBLE_EQ(pile.current_a(), 0.0);
  pile.authorize("tag-2");
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
  pile.authorize("");
  pile.unplug();
  EXPECT_EQ(pile.state(), ConnectorState::kAvailable);
  // Withdrawing with no session changes nothing.
  pile.plug(kEv);
  pile.authorize("");
  EXPECT_EQ(pile.state(), ConnectorState::kPreparing);
}

TEST(PileModel, FaultStopsAtOnceAndClearingRestoresTheFittingState) {
  PileModel pile({.max_current_a = 16, .phases = 3, .auto_start = true});
  pile.plug(kEv);
  pile.step(2.0);
  pile.set_fault("simulated ground fault");
  EXPECT_EQ(pile.state(), ConnectorState::kFaulted);
  EXPECT_EQ(pile.fault(), "simulated ground fault");
  EXPECT_DOUBLE_EQ(pile.current_a(), 0.0);
  const double energy = pile.energy_wh();
  pile.step(60.0);
  EXPECT_DOUBLE_EQ(pile.energy_wh(), energy);
  pile.clear_fault();
  EXPECT_EQ(pile.state(), ConnectorState::kCharging);
  pile.unplug();
  pile.set_fault("x");
  pile.clear_fault();
  EXPECT_EQ(pile.state(), ConnectorState::kAvailable);
}

TEST(PileModel, OnePhasePileCannotSelectThree) {
  PileModel pile({.max_current_a = 32, .phases = 1, .auto_start = true});
  pile.set_phases(3);
  EXPECT_EQ(pile.selected_phases(), 1);
  pile.plug(kEv);
  pile.step(2.0);
  EXPECT_EQ(pile.active_phases(), 1);
  EXPECT_DOUBLE_EQ(pile.power_w(), 230.0 * 32.0);
}

}  // namespace
}  // namespace pilemesh::simulator
