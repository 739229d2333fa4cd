// The test support fakes behave as documented, since other tests rely on them.
#include "fake_driver_context.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <vector>

#include "recording_observers.hpp"

namespace pilemesh::test {
namespace {

using namespace std::chrono_literals;

constexpr hal::SettingSpec kSpecs[] = {
    hal::SettingSpec::integer("count", 3, 0, 10, "a number"),
    hal::SettingSpec::real("ratio", 0.5, 0, 1, "a ratio"),
    hal::SettingSpec::boolean("flag", true, "a flag"),
    hal::SettingSpec::string("mode", "auto", "a mode", "auto|manual"),
};

TEST(FakeSettings, StartsAtDefaultsAndTakesOverrides) {
  FakeSettings settings(kSpecs);
  EXPECT_EQ(settings.get_int("count"), 3);
  EXPECT_DOUBLE_EQ(settings.get_float("ratio"), 0.5);
  EXPECT_TRUE(settings.get_bool("flag"));
  EXPECT_EQ(settings.get_string("mode"), "auto");
  settings.set_int("count", 7).set_string("mode", "manual");
  EXPECT_EQ(settings.get_int("count"), 7);
  EXPECT_EQ(settings.get_string("mode"), "manual");
}

TEST(FakeSettings, MissingOrMistypedKeysReadAsZero) {
  FakeSettings settings(kSpecs);
  EXPECT_EQ(settings.get_int("nope"), 0);
  EXPECT_EQ(settings.get_int("mode"), 0);
  EXPECT_EQ(settings.get_string("count"), "");
  settings.erase("flag");
  EXPECT_FALSE(settings.contains("flag"));
  EXPECT_FALSE(settings.get_bool("flag"));
}

TEST(FakeDriverContext, TimersFireInDueOrderAndPeriodically) {
  FakeDriverContext ctx;
  std::vector<int> order;
  ctx.start_timer(300ms, 0ms, [&] { order.push_back(3); });
  const auto periodic = ctx.start_timer(100ms, 100ms, [&] { order.push_back(1); });
  ctx.start_timer(200ms, 0ms, [&] { order.push_back(2); });
  ctx.advance(350ms);
  EXPECT_EQ(order, (std::vector<int>{1, 1, 2, 3, 1}));
  EXPECT_EQ(ctx.elapsed(), 350ms);
  ctx.cancel_timer(periodic);
  ctx.advance(1s);
  EXPECT_EQ(order.size(), 5u);
  EXPECT_EQ(ctx.active_timers(), 0u);
}

TEST(FakeDriverContext, ClockReadsTheDueTimeInsideACallback) {
  FakeDriverContext ctx;
  std::vector<std::chrono::nanoseconds> seen;
  ctx.start_timer(250ms, 250ms, [&] { seen.push_back(ctx.elapsed()); });
  ctx.advance(600ms);
  EXPECT_EQ(seen, (std::vector<std::chrono::nanoseconds>{250ms, 500ms}));
  EXPECT_EQ(ctx.wall_now() - FakeDriverContext::kWallStart, 600ms);
}

TEST(FakeDriverContext, PostedFunctionsRunOnAdvanceAndMayCancelTimers) {
  FakeDriverContext ctx;
  int runs = 0;
  hal::TimerId id = 0;
  id = ctx.start_timer(10ms, 10ms, [&] {
    ++runs;
    ctx.post([&] { ctx.cancel_timer(id); });
  });
  ctx.post([&] { ++runs; });
  EXPECT_EQ(ctx.pending_posts(), 1u);
  ctx.advance(100ms);
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(ctx.pending_posts(), 0u);
}

TEST(FakeDriverContext, CatchesAndCountsEscapingExceptions) {
  FakeDriverContext ctx;
  ctx.post([] { throw std::runtime_error("boom"); });
  ctx.run_posted();
  EXPECT_EQ(ctx.escaped_exceptions(), 1u);
  EXPECT_TRUE(ctx.recorded_log().contains("boom", hal::LogLevel::kError));
}

TEST(RecordingObservers, StampAndCollapseStates) {
  FakeDriverContext ctx;
  RecordingChargerObserver observer(&ctx);
  hal::ConnectorStatus status;
  status.state = hal::ConnectorState::kAvailable;
  observer.on_connector_status(1, status);
  ctx.advance(1s);
  observer.on_connector_status(1, status);
  status.state = hal::ConnectorState::kPreparing;
  observer.on_connector_status(1, status);
  EXPECT_EQ(observer.states(), (std::vector<hal::ConnectorState>{hal::ConnectorState::kAvailable,
                                                                 hal::ConnectorState::kPreparing}));
  EXPECT_EQ(observer.updates().back().at - FakeDriverContext::kSteadyStart, 1s);
  EXPECT_EQ(observer.last()->state, hal::ConnectorState::kPreparing);
}

}  // namespace
}  // namespace pilemesh::test
