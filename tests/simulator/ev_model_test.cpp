// The simulated EV: CC/CV taper, efficiency, and a battery that fills in finite time.
#include "ev_model.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pilemesh::simulator {
namespace {

TEST(EvModel, TakesFullCurrentBelowTheTaper) {
  EvModel ev({.battery_kwh = 60, .soc_pct = 50, .max_current_a = 32, .phases = 3});
  EXPECT_DOUBLE_EQ(ev.soc(), 0.5);
  EXPECT_DOUBLE_EQ(ev.accepted_current_a(), 32.0);
}

TEST(EvModel, CurrentFallsLinearlyAboveEightyPercent) {
  EXPECT_DOUBLE_EQ(EvModel({.soc_pct = 80, .max_current_a = 32}).accepted_current_a(), 32.0);
  EXPECT_NEAR(EvModel({.soc_pct = 90, .max_current_a = 32}).accepted_current_a(), 16.0, 1e-9);
  EXPECT_NEAR(EvModel({.soc_pct = 95, .max_current_a = 32}).accepted_current_a(), 8.0, 1e-9);
  // Near full the taper stops at a trickle so the battery does fill up.
  EXPECT_DOUBLE_EQ(EvModel({.soc_pct = 99.9, .max_current_a = 32}).accepted_current_a(),
                   EvModel::kTaperFloorA);
  EXPECT_DOUBLE_EQ(EvModel({.soc_pct = 100, .max_current_a = 32}).accepted_current_a(), 0.0);
}

TEST(EvModel, AbsorbsWithEfficiencyAndStopsWhenFull) {
  EvModel ev({.battery_kwh = 10, .soc_pct = 50, .max_current_a = 16, .phases = 1});
  // 1000 Wh from the grid stores 920 Wh: 9.2 % of a 10 kWh battery.
  EXPECT_DOUBLE_EQ(ev.absorb(1000.0), 1000.0);
  EXPECT_NEAR(ev.soc(), 0.592, 1e-12);
  const double needed = ev.grid_wh_to_full();
  EXPECT_NEAR(needed, 0.408 * 10000.0 / EvModel::kEfficiency, 1e-6);
  EXPECT_NEAR(ev.absorb(needed + 500.0), needed, 1e-9);
  EXPECT_TRUE(ev.full());
  EXPECT_DOUBLE_EQ(ev.absorb(100.0), 0.0);
}

TEST(EvModel, RefusesTwoPhases) {
  EXPECT_THROW(EvModel({.phases = 2}), std::invalid_argument);
  EXPECT_THROW(EvModel({.battery_kwh = 0}), std::invalid_argument);
}

}  // namespace
}  // namespace pilemesh::simulator
