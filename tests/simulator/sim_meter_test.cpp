// The simulator's house meter on a fake context, alone and with simulated piles behind it.
#include "sim_meter.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "fake_driver_context.hpp"
#include "recording_observers.hpp"
#include "sim_charger.hpp"
#include "sim_settings.hpp"

namespace pilemesh::simulator {
namespace {

using namespace std::chrono_literals;
using hal::StatusCode;
using test::FakeDriverContext;
using test::RecordingChargerObserver;
using test::RecordingMeterObserver;

class SimMeterTest : public ::testing::Test {
 protected:
  SimMeterTest() : ctx_("house", kMeterSettings), observer_(&ctx_) {}
  ~SimMeterTest() override { EXPECT_EQ(ctx_.escaped_exceptions(), 0u); }

  void start() {
    meter_ = std::make_unique<SimMeter>(ctx_);
    ASSERT_TRUE(meter_->connect(observer_).is_ok());
  }
  hal::MeterReading read() {
    hal::MeterReading out;
    EXPECT_TRUE(meter_->read(out).is_ok());
    return out;
  }

  FakeDriverContext ctx_;
  RecordingMeterObserver observer_;
  std::unique_ptr<SimMeter> meter_;
};

TEST_F(SimMeterTest, BaseLoadWithConsistentPhases) {
  start();
  ctx_.advance(10s);
  ASSERT_FALSE(observer_.readings().empty());
  const auto r = read();
  EXPECT_NEAR(static_cast<double>(r.power_w), 450.0, 450.0 * 0.12);
  double from_currents = 0.0;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.voltage_mv[i], 230000);
    from_currents += r.current_ma[i] / 1000.0 * 230.0;
  }
  EXPECT_NEAR(from_currents, static_cast<double>(r.power_w), 1.0);
  EXPECT_EQ(r.energy_export_wh, 0);
}

TEST_F(SimMeterTest, ReportsEverySecondAndTheRegisterOnlyGrows) {
  ctx_.settings().set_int("base_load_w", 3600);
  start();
  ctx_.advance(std::chrono::minutes(10));
  const auto& readings = observer_.readings();
  ASSERT_GE(readings.size(), 599u);
  for (std::size_t i = 1; i < readings.size(); ++i) {
    EXPECT_LE(readings[i].at - readings[i - 1].at, 1s);
    EXPECT_GE(readings[i].reading.energy_import_wh, readings[i - 1].reading.energy_import_wh);
  }
  // About 3.6 kW for 10 minutes.
  EXPECT_NEAR(static_cast<double>(read().energy_import_wh), 600.0, 600.0 * 0.12);
}

TEST_F(SimMeterTest, SeesThePilesOfThisProcess) {
  ctx_.settings().set_int("base_load_w", 0);
  FakeDriverContext pile_ctx("pile-1", kChargerSettings);
  pile_ctx.settings().set_bool("ev_connected", true).set_bool("auto_start", true);
  SimCharger charger(pile_ctx);
  RecordingChargerObserver pile_observer;
  ASSERT_TRUE(charger.connect(pile_observer).is_ok());
  start();
  for (int i = 0; i < 20; ++i) {
    pile_ctx.advance(250ms);
    ctx_.advance(250ms);
  }
  const auto r = read();
  EXPECT_EQ(r.power_w, 11040);
  EXPECT_EQ(r.current_ma, (std::array<std::int32_t, 3>{16000, 16000, 16000}));

  ctx_.settings().set_bool("include_piles", false);
  SimMeter blind(ctx_);
  RecordingMeterObserver blind_observer;
  ASSERT_TRUE(blind.connect(blind_observer).is_ok());
  hal::MeterReading blind_reading;
  ASSERT_TRUE(blind.read(blind_reading).is_ok());
  EXPECT_EQ(blind_reading.power_w, 0);
  blind.disconnect();
  charger.disconnect();
}

TEST_F(SimMeterTest, ReadBeforeConnectIsUnavailable) {
  meter_ = std::make_unique<SimMeter>(ctx_);
  hal::MeterReading out;
  EXPECT_EQ(meter_->read(out).code(), StatusCode::kUnavailable);
}

TEST_F(SimMeterTest, UnreachableMeterNeverConnects) {
  ctx_.settings().set_string("fault", "unreachable");
  meter_ = std::make_unique<SimMeter>(ctx_);
  EXPECT_EQ(meter_->connect(observer_).code(), StatusCode::kUnavailable);
  EXPECT_EQ(ctx_.active_timers(), 0u);
}

TEST_F(SimMeterTest, CommLossOnceThenReconnects) {
  ctx_.settings().set_string("fault", "comm_loss").set_int("fault_after_s", 3);
  start();
  ctx_.advance(2500ms);
  EXPECT_TRUE(observer_.losses().empty());
  ctx_.advance(1s);
  ASSERT_EQ(observer_.losses().size(), 1u);
  meter_->disconnect();
  ASSERT_TRUE(meter_->connect(observer_).is_ok());
  ctx_.advance(30s);
  EXPECT_EQ(observer_.losses().size(), 1u);
}

TEST_F(SimMeterTest, RefusesAFaultItCannotSimulate) {
  ctx_.settings().set_string("fault", "faulted");
  EXPECT_THROW(SimMeter{ctx_}, std::invalid_argument);
}

}  // namespace
}  // namespace pilemesh::simulator
