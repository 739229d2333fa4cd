// The house behind the grid meter, and the scripted plug cycle.
#include "house_model.hpp"

#include <gtest/gtest.h>

#include "plug_scenario.hpp"

namespace pilemesh::simulator {
namespace {

using hal::ConnectorState;

TEST(HouseModel, PowerIsBaseLoadPlusPilesSpreadOverPhases) {
  HouseModel house({.base_load_w = 900, .phases = 3, .drift = false});
  house.step(1.0, {3680.0, 3680.0, 3680.0});
  EXPECT_DOUBLE_EQ(house.power_w(), 900.0 + 3 * 3680.0);
  for (int i = 0; i < 3; ++i) {
    EXPECT_DOUBLE_EQ(house.voltage_v(i), 230.0);
    EXPECT_DOUBLE_EQ(house.current_a(i), (300.0 + 3680.0) / 230.0);
  }
}

TEST(HouseModel, SinglePhaseHouseCarriesEverythingOnL1) {
  HouseModel house({.base_load_w = 460, .phases = 1, .drift = false});
  house.step(1.0, {2300.0, 2300.0, 0.0});
  EXPECT_DOUBLE_EQ(house.power_w(), 5060.0);
  EXPECT_DOUBLE_EQ(house.current_a(0), 22.0);
  EXPECT_DOUBLE_EQ(house.current_a(1), 0.0);
  EXPECT_DOUBLE_EQ(house.voltage_v(2), 0.0);
}

TEST(HouseModel, ImportGrowsWithPowerTimesTime) {
  HouseModel house({.base_load_w = 1000, .phases = 3, .drift = false});
  house.step(3600.0, {});
  EXPECT_NEAR(house.import_wh(), 1000.0, 1e-9);
  house.step(1800.0, {2000.0, 0.0, 0.0});
  EXPECT_NEAR(house.import_wh(), 2500.0, 1e-9);
  EXPECT_DOUBLE_EQ(house.export_wh(), 0.0);
}

TEST(HouseModel, DriftStaysWithinTwelvePercentAndOnlyImports) {
  HouseModel house({.base_load_w = 450, .phases = 3, .drift = true});
  double previous = 0.0;
  double lowest = 1e9;
  double highest = 0.0;
  for (int i = 0; i < 4000; ++i) {
    house.step(1.0, {});
    lowest = std::min(lowest, house.power_w());
    highest = std::max(highest, house.power_w());
    ASSERT_GE(house.import_wh(), previous);
    previous = house.import_wh();
  }
  EXPECT_GE(lowest, 450.0 * 0.88);
  EXPECT_LE(highest, 450.0 * 1.12);
  EXPECT_GT(highest - lowest, 20.0);  // it does move
}

TEST(PlugScenario, UnplugsWhenFullAndPlugsAFreshEvAfterAPause) {
  PileModel pile({.max_current_a = 32, .phases = 3, .auto_start = true});
  const EvParams ev{.battery_kwh = 10, .soc_pct = 95, .max_current_a = 32, .phases = 3};
  // The last 5 % of a 10 kWh battery take about 18 minutes on the CC/CV taper.
  PlugScenario scenario(4000.0, ev);
  pile.plug(ev);
  double t = 0.0;
  bool saw_full = false;
  while (pile.plugged() && t < 4000.0) {
    scenario.before_step(1.0, pile);
    pile.step(1.0);
    saw_full = saw_full || pile.state() == ConnectorState::kSuspendedEV;
    t += 1.0;
  }
  EXPECT_TRUE(saw_full);
  EXPECT_GT(t, 900.0);
  EXPECT_LT(t, 1500.0);
  EXPECT_EQ(pile.state(), ConnectorState::kAvailable);
  double away = 0.0;
  while (!pile.plugged() && away < 4000.0) {
    scenario.before_step(1.0, pile);
    pile.step(1.0);
    away += 1.0;
  }
  EXPECT_NEAR(away, scenario.pause_s(), 1.0);
  EXPECT_NEAR(pile.ev()->soc(), 0.95, 0.01);
}

TEST(PlugScenario, UnplugsAfterTheCycleEvenIfNotFull) {
  PileModel pile({.max_current_a = 16, .phases = 3, .auto_start = true});
  PlugScenario scenario(100.0, {.battery_kwh = 100, .soc_pct = 10});
  double t = 0.0;
  // Starts unplugged: the first EV arrives after the pause.
  while (!pile.plugged()) {
    scenario.before_step(1.0, pile);
    pile.step(1.0);
    t += 1.0;
  }
  EXPECT_NEAR(t, 25.0, 1.0);
  double connected = 0.0;
  while (pile.plugged()) {
    scenario.before_step(1.0, pile);
    pile.step(1.0);
    connected += 1.0;
  }
  EXPECT_NEAR(connected, 100.0, 1.0);
}

TEST(PlugScenario, OffDoesNothing) {
  PileModel pile({});
  PlugScenario scenario(0.0, {});
  EXPECT_FALSE(scenario.active());
  scenario.before_step(1e6, pile);
  EXPECT_FALSE(pile.plugged());
}

}  // namespace
}  // namespace pilemesh::simulator
