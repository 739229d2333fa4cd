// resolve_settings: a device's settings checked against its driver's declared keys.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "config_test_util.hpp"
#include "pilemesh/config/config.hpp"

namespace pilemesh::config {
namespace {

using hal::SettingSpec;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::array kSpec = {
    SettingSpec::boolean("ev_connected", false, "A car is plugged in"),
    SettingSpec::integer("phases", 3, 1, 3, "Phases in use"),
    SettingSpec::real("battery_kwh", 50.0, 1.0, 200.0, "Battery capacity"),
    SettingSpec::string("fault", "none", "Injected fault", "none|comm_loss|faulted"),
    SettingSpec::string("label", "", "Free text"),
};

// The first pile of `text` (which must load).
DeviceConfig pile(const std::string& text) {
  const LoadResult result =
      config_test::load("[[piles]]\nid = \"p\"\ndriver = \"simulator/charger\"\n" + text);
  EXPECT_THAT(config_test::error_lines(result.errors), IsEmpty());
  return result.config ? result.config->piles.at(0) : DeviceConfig{};
}

std::vector<std::string> errors_of(const std::string& settings) {
  return config_test::error_lines(resolve_settings(pile(settings), kSpec, "t.toml").errors);
}

TEST(ResolveSettings, MissingKeysTakeTheirDefaults) {
  const SettingsResult result = resolve_settings(pile(""), kSpec, "t.toml");
  ASSERT_THAT(result.errors, IsEmpty());
  ASSERT_TRUE(result.settings);
  const ResolvedSettings& s = *result.settings;
  EXPECT_FALSE(s.get_bool("ev_connected"));
  EXPECT_EQ(s.get_int("phases"), 3);
  EXPECT_DOUBLE_EQ(s.get_float("battery_kwh"), 50.0);
  EXPECT_EQ(s.get_string("fault"), "none");
  EXPECT_EQ(s.get_string("label"), "");
  ASSERT_EQ(s.values.size(), kSpec.size());  // one per declared key, in declaration order
  EXPECT_EQ(s.values[0].key, "ev_connected");
  EXPECT_EQ(s.values[4].key, "label");
}

TEST(ResolveSettings, ReadsWrittenValues) {
  const SettingsResult result = resolve_settings(pile(R"([piles.settings]
ev_connected = true
phases = 1
battery_kwh = 77.5
fault = "comm_loss"
label = "left"
)"),
                                                 kSpec, "t.toml");
  ASSERT_TRUE(result.settings);
  const ResolvedSettings& s = *result.settings;
  EXPECT_TRUE(s.get_bool("ev_connected"));
  EXPECT_EQ(s.get_int("phases"), 1);
  EXPECT_DOUBLE_EQ(s.get_float("battery_kwh"), 77.5);
  EXPECT_EQ(s.get_string("fault"), "comm_loss");
  EXPECT_EQ(s.get_string("label"), "left");
}

TEST(ResolveSettings, IntegerIsAcceptedForAFloat) {
  const SettingsResult result =
      resolve_settings(pile("[piles.settings]\nbattery_kwh = 60\n"), kSpec, "t.toml");
  ASSERT_TRUE(result.settings);
  EXPECT_DOUBLE_EQ(result.settings->get_float("battery_kwh"), 60.0);
}

TEST(ResolveSettings, GettersReturnZeroForUndeclaredKeysAndWrongTypes) {
  const SettingsResult result = resolve_settings(
      pile("[piles.settings]\nev_connected = true\nlabel = \"x\"\n"), kSpec, "t.toml");
  ASSERT_TRUE(result.settings);
  const ResolvedSettings& s = *result.settings;
  EXPECT_EQ(s.get_int("nope"), 0);
  EXPECT_EQ(s.get_string("nope"), "");
  EXPECT_FALSE(s.get_bool("nope"));
  EXPECT_EQ(s.get_int("ev_connected"), 0);
  EXPECT_EQ(s.get_float("phases"), 0.0);
  EXPECT_FALSE(s.get_bool("label"));
  EXPECT_EQ(s.get_string("phases"), "");
}

TEST(ResolveSettings, ReportsEveryProblemWithPositionAndPath) {
  EXPECT_THAT(
      errors_of(R"([piles.settings]
ev_connected = "yes"
phases = 4
battery_kwh = 250.5
fault = "comm-loss"
batery_kwh = 1
colour = "red"
label = 7
)"),
      ElementsAre("t.toml:5:16: piles[0].settings.ev_connected: expected a boolean, found a "
                  "string",
                  "t.toml:6:10: piles[0].settings.phases: expected an integer in 1..3, found 4",
                  "t.toml:7:15: piles[0].settings.battery_kwh: expected a number in 1.0..200.0, "
                  "found 250.5",
                  "t.toml:8:9: piles[0].settings.fault: expected one of none|comm_loss|faulted, "
                  "found \"comm-loss\"; did you mean \"comm_loss\"?",
                  "t.toml:9:1: piles[0].settings.batery_kwh: unknown key \"batery_kwh\"; did you "
                  "mean \"battery_kwh\"?",
                  "t.toml:10:1: piles[0].settings.colour: unknown key \"colour\"; allowed keys: "
                  "ev_connected, phases, battery_kwh, fault, label",
                  "t.toml:11:9: piles[0].settings.label: expected a string, found an integer"));
}

TEST(ResolveSettings, FloatForAnIntegerIsAnError) {
  EXPECT_THAT(errors_of("[piles.settings]\nphases = 3.0\n"),
              ElementsAre("t.toml:5:10: piles[0].settings.phases: expected an integer in 1..3, "
                          "found a float"));
}

TEST(ResolveSettings, NanIsOutOfRange) {
  EXPECT_THAT(errors_of("[piles.settings]\nbattery_kwh = nan\n"),
              ElementsAre("t.toml:5:15: piles[0].settings.battery_kwh: expected a number in "
                          "1.0..200.0, found nan"));
}

TEST(ResolveSettings, DriverWithoutSettings) {
  const SettingsResult result = resolve_settings(pile("[piles.settings]\nx = 1\n"), {}, "t.toml");
  EXPECT_FALSE(result.settings);
  EXPECT_THAT(config_test::error_lines(result.errors),
              ElementsAre("t.toml:5:1: piles[0].settings.x: unknown key \"x\"; driver "
                          "\"simulator/charger\" takes no settings"));
  EXPECT_TRUE(resolve_settings(pile(""), {}, "t.toml").settings);
}

TEST(ResolveSettings, InlineSettingsTableHasPositionsToo) {
  EXPECT_THAT(errors_of("settings = { phases = 9 }\n"),
              ElementsAre("t.toml:4:23: piles[0].settings.phases: expected an integer in 1..3, "
                          "found 9"));
}

TEST(ResolveSettings, DeviceMadeInCode) {
  DeviceConfig device;
  device.id = "x";
  device.driver = "a/b";
  device.settings = empty_settings();
  const SettingsResult result = resolve_settings(device, kSpec, "");
  ASSERT_TRUE(result.settings);
  EXPECT_EQ(result.settings->get_int("phases"), 3);
  device.settings = nullptr;  // tolerated as "no settings"
  EXPECT_TRUE(resolve_settings(device, kSpec, "").settings);
}

TEST(ResolveSettings, SettingsOutliveTheLoadResult) {
  DeviceConfig device;
  { device = pile("[piles.settings]\nphases = 2\n"); }
  const SettingsResult result = resolve_settings(device, kSpec, "t.toml");
  ASSERT_TRUE(result.settings);
  EXPECT_EQ(result.settings->get_int("phases"), 2);
}

}  // namespace
}  // namespace pilemesh::config
