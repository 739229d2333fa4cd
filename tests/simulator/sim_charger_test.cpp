// The simulator's Charger driver on a fake context: what the gateway sees through the SDK.
#include "sim_charger.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "fake_driver_context.hpp"
#include "recording_observers.hpp"
#include "sim_settings.hpp"

namespace pilemesh::simulator {
namespace {

using namespace std::chrono_literals;
using hal::ConnectorState;
using hal::StatusCode;
using test::FakeDriverContext;
using test::RecordingChargerObserver;

class SimChargerTest : public ::testing::Test {
 protected:
  SimChargerTest() : ctx_("pile-1", kChargerSettings), observer_(&ctx_) {}
  ~SimChargerTest() override { EXPECT_EQ(ctx_.escaped_exceptions(), 0u); }

  // Creates the driver from the settings as they are now and connects it.
  void start() {
    charger_ = std::make_unique<SimCharger>(ctx_);
    ASSERT_TRUE(charger_->connect(observer_).is_ok());
    ctx_.advance(0ms);
  }
  hal::ConnectorStatus status() {
    hal::ConnectorStatus out;
    EXPECT_TRUE(charger_->status(1, out).is_ok());
    return out;
  }

  FakeDriverContext ctx_;
  RecordingChargerObserver observer_;
  std::unique_ptr<SimCharger> charger_;
};

TEST_F(SimChargerTest, ReportsItsInitialStatusRightAfterConnect) {
  start();
  ASSERT_EQ(observer_.updates().size(), 1u);
  const auto s = *observer_.last();
  EXPECT_EQ(s.state, ConnectorState::kAvailable);
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.current_limit_ma, 16000);
  EXPECT_EQ(s.voltage_mv, (std::array<std::int32_t, 3>{230000, 230000, 230000}));
  EXPECT_EQ(s.current_ma, (std::array<std::int32_t, 3>{}));
  EXPECT_EQ(s.active_phases, 0);
  EXPECT_EQ(s.energy_wh, 0);
  EXPECT_EQ(s.fault, "");

  const auto info = charger_->connectors();
  ASSERT_EQ(info.size(), 1u);
  EXPECT_EQ(info[0].id, 1u);
  EXPECT_EQ(info[0].type, hal::ConnectorType::kType2);
  EXPECT_EQ(info[0].max_phases, 3);
  EXPECT_EQ(info[0].max_current_ma, 16000);
  EXPECT_EQ(info[0].max_power_w, 11040);
}

TEST_F(SimChargerTest, SettingsShapeThePile) {
  ctx_.settings()
      .set_string("connector_type", "CCS2")
      .set_float("max_current_a", 32.0)
      .set_int("phases", 1)
      .set_bool("ev_connected", true)
      .set_bool("auto_start", true);
  start();
  ctx_.advance(2s);
  const auto info = charger_->connectors();
  EXPECT_EQ(info[0].type, hal::ConnectorType::kCCS2);
  EXPECT_EQ(info[0].max_phases, 1);
  const auto s = status();
  EXPECT_EQ(s.state, ConnectorState::kCharging);
  EXPECT_EQ(s.active_phases, 1);
  EXPECT_EQ(s.current_ma, (std::array<std::int32_t, 3>{32000, 0, 0}));
  EXPECT_EQ(s.voltage_mv, (std::array<std::int32_t, 3>{230000, 0, 0}));
  EXPECT_EQ(s.power_w, 7360);
}

TEST_F(SimChargerTest, AuthorizedSessionCharges) {
  ctx_.settings().set_bool("ev_connected", true);
  start();
  EXPECT_EQ(observer_.last()->state, ConnectorState::kPreparing);
  ASSERT_TRUE(charger_->authorize(1, "04A2B3C4").is_ok());
  ctx_.advance(0ms);  // the state change is reported at once, not at the next tick
  EXPECT_EQ(observer_.last()->state, ConnectorState::kCharging);
  EXPECT_EQ(observer_.last()->authorized_id_token, "04A2B3C4");
  ctx_.advance(2s);
  const auto s = status();
  EXPECT_EQ(s.current_ma, (std::array<std::int32_t, 3>{16000, 16000, 16000}));
  EXPECT_EQ(s.power_w, 3 * 230 * 16);
  EXPECT_EQ(s.active_phases, 3);
  ASSERT_TRUE(charger_->authorize(1, "").is_ok());
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kFinishing);
  EXPECT_EQ(observer_.last()->authorized_id_token, "");
}

TEST_F(SimChargerTest, ADriverTapsTheirCardUntilThePileLetsThemCharge) {
  ctx_.settings().set_bool("ev_connected", true).set_string("rfid_token", "04A2B3C4");
  start();
  ctx_.advance(250ms);
  EXPECT_EQ(observer_.tokens(), (std::vector<std::string>{"04A2B3C4"}));  // waiting: a tap
  ctx_.advance(4s);
  EXPECT_EQ(observer_.tokens().size(), 1u);  // not again right away
  ctx_.advance(1s);
  EXPECT_EQ(observer_.tokens().size(), 2u);  // five seconds later, again
  // The gateway accepts the card: the pile charges, and nobody taps any more.
  ASSERT_TRUE(charger_->authorize(1, "04A2B3C4").is_ok());
  ctx_.advance(30s);
  EXPECT_EQ(observer_.tokens().size(), 2u);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kCharging);
  // Disabled by the gateway (the slot ended): the driver taps again.
  ASSERT_TRUE(charger_->set_enabled(1, false).is_ok());
  ctx_.advance(250ms);
  EXPECT_EQ(observer_.tokens().size(), 3u);
}

TEST_F(SimChargerTest, WithoutACardNothingIsTapped) {
  ctx_.settings().set_bool("ev_connected", true);
  start();
  ctx_.advance(30s);
  EXPECT_TRUE(observer_.tokens().empty());
}

TEST_F(SimChargerTest, NewLimitIsMeasuredWithinOneSecond) {
  ctx_.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  start();
  ctx_.advance(3s);
  ASSERT_EQ(status().current_ma[0], 16000);
  ASSERT_TRUE(charger_->set_current_limit(1, 6000).is_ok());
  const auto commanded_at = ctx_.now();
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->current_limit_ma, 6000);
  ctx_.advance(1s);
  EXPECT_EQ(status().current_ma, (std::array<std::int32_t, 3>{6000, 6000, 6000}));
  // And the gateway was told within that second.
  bool reported = false;
  for (const auto& u : observer_.updates()) {
    reported = reported || (u.at <= commanded_at + 1s && u.status.current_ma[0] == 6000);
  }
  EXPECT_TRUE(reported);
}

TEST_F(SimChargerTest, ReadingsArriveAtLeastEverySecondWhileCharging) {
  ctx_.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  start();
  ASSERT_TRUE(charger_->set_current_limit(1, 10000).is_ok());  // an off-tick report
  ctx_.advance(130ms);
  ASSERT_TRUE(charger_->set_current_limit(1, 16000).is_ok());
  ctx_.advance(20s);
  const auto& updates = observer_.updates();
  ASSERT_GT(updates.size(), 19u);
  for (std::size_t i = 1; i < updates.size(); ++i) {
    EXPECT_LE(updates[i].at - updates[i - 1].at, 1s) << "update " << i;
  }
  EXPECT_LT(updates.size(), 40u);  // and not at every tick
}

TEST_F(SimChargerTest, DisableSuspendsAndEnableResumes) {
  ctx_.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  start();
  ctx_.advance(2s);
  ASSERT_TRUE(charger_->set_enabled(1, false).is_ok());
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kSuspendedEVSE);
  EXPECT_FALSE(observer_.last()->enabled);
  ctx_.advance(1s);
  EXPECT_EQ(status().power_w, 0);
  ASSERT_TRUE(charger_->set_enabled(1, true).is_ok());
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kCharging);
  ASSERT_TRUE(charger_->set_current_limit(1, 0).is_ok());
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kSuspendedEVSE);
}

TEST_F(SimChargerTest, RejectsBadCommands) {
  start();
  hal::ConnectorStatus out;
  EXPECT_EQ(charger_->status(2, out).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(charger_->set_current_limit(2, 6000).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(charger_->set_current_limit(1, -1).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(charger_->set_phases(1, 2).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(charger_->set_enabled(0, true).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(charger_->authorize(7, "tag").code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(charger_->set_phases(1, 1).is_ok());
  EXPECT_TRUE(charger_->set_phases(1, 3).is_ok());
  charger_->disconnect();
  EXPECT_EQ(charger_->set_enabled(1, true).code(), StatusCode::kUnavailable);
}

TEST_F(SimChargerTest, OnePhasePileCannotSwitchToThree) {
  ctx_.settings().set_int("phases", 1);
  start();
  EXPECT_EQ(charger_->set_phases(1, 3).code(), StatusCode::kNotSupported);
}

TEST_F(SimChargerTest, PhaseSwitchChangesThePower) {
  ctx_.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  start();
  ctx_.advance(2s);
  ASSERT_TRUE(charger_->set_phases(1, 1).is_ok());
  ctx_.advance(0ms);
  EXPECT_EQ(observer_.last()->active_phases, 1);
  EXPECT_EQ(observer_.last()->power_w, 3680);
}

TEST_F(SimChargerTest, TwoPhasesMakeTheConstructorRefuse) {
  ctx_.settings().set_int("phases", 2);
  try {
    SimCharger charger(ctx_);
    FAIL() << "phases = 2 was accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("phases = 2"), std::string::npos) << e.what();
  }
  ctx_.settings().set_int("phases", 3).set_int("ev_phases", 2);
  EXPECT_THROW(SimCharger{ctx_}, std::invalid_argument);
}

TEST_F(SimChargerTest, UnreachablePileNeverConnects) {
  ctx_.settings().set_string("fault", "unreachable");
  charger_ = std::make_unique<SimCharger>(ctx_);
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto result = charger_->connect(observer_);
    EXPECT_EQ(result.code(), StatusCode::kUnavailable);
    EXPECT_EQ(result.message(), "simulated pile unreachable");
    ctx_.advance(5s);
  }
  EXPECT_EQ(ctx_.active_timers(), 0u);
  EXPECT_TRUE(observer_.updates().empty());
}

TEST_F(SimChargerTest, CommLossIsReportedOnceAfterTheDelay) {
  ctx_.settings().set_string("fault", "comm_loss").set_int("fault_after_s", 10);
  start();
  ctx_.advance(9500ms);
  EXPECT_TRUE(observer_.losses().empty());
  ctx_.advance(1s);
  ASSERT_EQ(observer_.losses().size(), 1u);
  EXPECT_EQ(observer_.losses()[0].why.code(), StatusCode::kUnavailable);
  EXPECT_LE(observer_.losses()[0].at - FakeDriverContext::kSteadyStart, 10250ms);
  // Silent after the loss, until the gateway reconnects; then it stays up.
  const auto updates = observer_.updates().size();
  ctx_.advance(30s);
  EXPECT_EQ(observer_.updates().size(), updates);
  charger_->disconnect();
  ASSERT_TRUE(charger_->connect(observer_).is_ok());
  ctx_.advance(60s);
  EXPECT_EQ(observer_.losses().size(), 1u);
  EXPECT_GT(observer_.updates().size(), updates);
}

TEST_F(SimChargerTest, FaultedPileReportsAGroundFault) {
  ctx_.settings()
      .set_string("fault", "faulted")
      .set_int("fault_after_s", 5)
      .set_bool("ev_connected", true)
      .set_bool("auto_start", true);
  start();
  ctx_.advance(4s);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kCharging);
  ctx_.advance(1500ms);
  const auto s = *observer_.last();
  EXPECT_EQ(s.state, ConnectorState::kFaulted);
  EXPECT_EQ(s.fault, "simulated ground fault");
  EXPECT_EQ(s.power_w, 0);
  EXPECT_EQ(charger_->authorize(1, "tag").code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(ctx_.recorded_log().contains("ground fault", hal::LogLevel::kWarn));
  // Cleared by hand (as a technician would), the connector goes back to charging.
  charger_->model().clear_fault();
  ctx_.advance(1s);
  EXPECT_EQ(observer_.last()->state, ConnectorState::kCharging);
}

TEST_F(SimChargerTest, PlugAndUnplugThroughTheModelAreReported) {
  ctx_.settings().set_bool("auto_start", true);
  start();
  charger_->model().plug({.soc_pct = 50});
  ctx_.advance(2s);
  charger_->model().unplug();
  ctx_.advance(1s);
  EXPECT_EQ(observer_.states(),
            (std::vector<ConnectorState>{ConnectorState::kAvailable, ConnectorState::kCharging,
                                         ConnectorState::kAvailable}));
}

TEST_F(SimChargerTest, FastForwardedSessionFillsTheBatteryWithAMonotonicRegister) {
  ctx_.settings()
      .set_bool("ev_connected", true)
      .set_bool("auto_start", true)
      .set_float("battery_kwh", 40.0)
      .set_float("soc_start_pct", 50.0)
      .set_float("time_scale", 600.0);
  start();
  ctx_.advance(std::chrono::minutes(2));  // 20 simulated hours
  std::int64_t previous = 0;
  for (const auto& u : observer_.updates()) {
    EXPECT_GE(u.status.energy_wh, previous);
    previous = u.status.energy_wh;
  }
  const auto s = status();
  EXPECT_EQ(s.state, ConnectorState::kSuspendedEV);
  // Half a 40 kWh battery, plus losses.
  EXPECT_NEAR(static_cast<double>(s.energy_wh), 20000.0 / EvModel::kEfficiency, 2.0);
  const auto states = observer_.states();
  EXPECT_EQ(states.front(), ConnectorState::kCharging);
  EXPECT_EQ(states.back(), ConnectorState::kSuspendedEV);
}

TEST_F(SimChargerTest, PlugCycleKeepsTheDemoBusy) {
  ctx_.settings()
      .set_bool("ev_connected", true)
      .set_bool("auto_start", true)
      .set_float("battery_kwh", 10.0)
      .set_float("soc_start_pct", 90.0)
      .set_int("plug_cycle_s", 3600)
      .set_float("time_scale", 60.0);
  start();
  ctx_.advance(std::chrono::minutes(3));  // three simulated hours
  const auto states = observer_.states();
  int sessions = 0;
  for (std::size_t i = 1; i < states.size(); ++i) {
    if (states[i] == ConnectorState::kCharging && states[i - 1] == ConnectorState::kAvailable) {
      ++sessions;
    }
  }
  EXPECT_GE(sessions, 2);
  EXPECT_NE(std::find(states.begin(), states.end(), ConnectorState::kSuspendedEV), states.end());
  EXPECT_TRUE(ctx_.recorded_log().contains("unplugged"));
}

TEST_F(SimChargerTest, DisconnectStopsReportingAndDestructionIsSafeWithPendingPosts) {
  ctx_.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  start();
  ctx_.advance(2s);
  charger_->disconnect();
  const auto updates = observer_.updates().size();
  ctx_.advance(10s);
  EXPECT_EQ(observer_.updates().size(), updates);
  EXPECT_EQ(ctx_.active_timers(), 0u);
  ASSERT_TRUE(charger_->connect(observer_).is_ok());
  ASSERT_TRUE(charger_->set_enabled(1, false).is_ok());
  charger_.reset();  // a report is still posted
  ctx_.advance(1s);
  EXPECT_EQ(observer_.updates().size(), updates);
}

}  // namespace
}  // namespace pilemesh::simulator
